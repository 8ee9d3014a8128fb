"""Request plumbing every area uses: blueprints, security, guards, errors, assets, the htmx kit."""
