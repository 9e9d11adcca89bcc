"""Match health: how announced pairs are doing, and the committee's care for them.

- `rules`: when a pair is at risk (pure: facts in, reasons out), tested at the boundaries;
- `models`: the cohort's health settings, liaisons, touch-points and pulse checks;
- `selectors`: pairs with their health, worst first; a liaison's pairs; who reads comments;
- `services`: assigning a liaison, recording a touch-point, sending a nudge, the settings;
- `pulse`: the mid-program pulse check (planner, answer, alert);
- `cockpit`: the committee's landing page, one card per cohort with its to-do list;
- `admin` and `views`: the committee's screens and the participant's pulse page.

It lives in `participants` because it is about a pair's life and reads goals, check-ins,
problem reports and surveys (participants sits above matching and assessment); the cockpit
counts all of those, so it lives here too rather than in matching, which cannot see them.
"""
