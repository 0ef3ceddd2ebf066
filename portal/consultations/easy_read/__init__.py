"""Easy Read versions of consultations (#17.3): short sentences, one question
a page with its picture beside it, large clear text. The partner or an
officer writes the Easy Read words in the request builder (editing.py);
young people answer them into the same response and the same counters as
the standard version (answering.py), and the results say how many answered
each version."""
