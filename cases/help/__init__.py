"""Step 5a: the help plan and its evaluations (afwegingsvraag 5)."""
