"""After the answers: moderation of written answers, the results (counters,
small numbers suppressed), exports, and "You said, we did"."""
