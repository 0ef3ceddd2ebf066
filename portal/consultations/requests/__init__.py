"""Consultation requests: a partner (or an officer for them) drafts the
details and questions, sends them for approval, an officer or the Chair
approves or returns them."""
