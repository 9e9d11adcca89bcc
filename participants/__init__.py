"""What participants do once matched: "My mentoring", SMART goals, check-ins, problem reports,
attendance, calendar feeds, and the reminders of those dates.

Above assessment in the layers (accounts <- cohorts <- applications <- matching <- assessment <-
participants <- reports), so My mentoring can show a participant's open surveys.
"""
