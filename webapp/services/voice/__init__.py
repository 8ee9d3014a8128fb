"""A resident's voice (评价与投诉, issue 29 §2): problems raised about a service and answered."""
