"""Step 4: the weighing with the five afwegingsvragen, the derived advice and the two decisions."""
