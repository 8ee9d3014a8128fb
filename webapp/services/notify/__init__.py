"""Notifications: the inbox, the push outbox and follow-up reminders."""
