"""Sessions turned into documents: debriefs and reports (Markdown, JSON, CSV), a cohort's
summary, and xAPI statements. Reads sessions and scores; no shell, no terminal."""
