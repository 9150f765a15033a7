"""An index that hands the worker its next task in one step, however long the queue.

The worker asks for the first ready task of its backend and queue, in priority order.
django-tasks-db's own index covers the order but not the backend and the queue, so when a
burst of signatures queues thousands of e-mails faster than PostgreSQL refreshes its
statistics, the planner reads every ready task and sorts them for each claim: 7 ms a task at
10,000 queued, instead of 0.03 ms. This index matches the whole question, and the plan with it.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS firma_tasks_ready_idx ON django_tasks_database_dbtaskresult
(backend_name, queue_name, priority DESC, run_after, enqueued_at) WHERE status = 'READY'
"""
DROP = "DROP INDEX IF EXISTS firma_tasks_ready_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0006_arabic"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
