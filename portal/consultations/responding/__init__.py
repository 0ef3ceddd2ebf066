"""Answering a consultation: one question a page, save and come back, check
your answers, send, change them until the closing date; visitors too."""
