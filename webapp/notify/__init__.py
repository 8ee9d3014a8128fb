"""The notification pages: inbox, notification settings, push subscriptions."""
