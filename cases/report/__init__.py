"""Step 5b: the report to Veilig Thuis, the talk before it, and Veilig Thuis's answers."""
