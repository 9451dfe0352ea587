"""The practice loop's memory of a learner: skill per criterion, reflexes over time, and what to
play next. Pure: computed from session summaries, the rubric and the library, with the time
passed in, so any shell (the home screen, `coach next`, a report) shows the same advice."""
