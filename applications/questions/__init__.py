"""A program's own application questions: definitions, per-cohort copies, answers, rules."""
