"""Intake: public complaints and tips, rights holders' detection requests, the platform feed API."""
