"""Mijn acties: everything waiting for one person, with reminders and escalation."""
