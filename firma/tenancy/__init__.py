"""The tenancy: organisations, their members and roles, the admin site and its logins.

It stands under petitions (a petition belongs to an organisation) and over the core; it imports
no app. Its models keep their place in the organiser app's migrations (app_label "organiser").
"""
