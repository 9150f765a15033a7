"""Signing: a submission checked by the rules, passed through the defences, then recorded.

The page and the embed share one pipeline; the service works on the cleaned submission, never
on a form.
"""
