"""The organisers' workspace: the admin's petition pages and the tools around them.

access and scoping decide what a member may see and do; audit records it. Each tool (moderation,
lifecycle, updates, exports, paper, dashboard) is a package with its own services, forms, views,
URLs and templates; tools do not import one another.
"""
