"""Rules of the year: legal calendar, deadlines, planning, sampling, scoring, overdue (pure; dates passed in)."""
