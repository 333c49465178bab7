"""The officers' judgement of leads: the review queue, decisions, second review, retraining."""
