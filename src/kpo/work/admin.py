from django.contrib import admin

from kpo.work.models import Assignment, Engagement, Task, TaskTransition


class TaskInline(admin.TabularInline[Task, Engagement]):
    model = Task
    extra = 0
    fields = ["title", "status", "priority", "due_at"]
    readonly_fields = ["status"]
    show_change_link = True


class AssignmentInline(admin.TabularInline[Assignment, Task]):
    model = Assignment
    extra = 0
    raw_id_fields = ["expert", "assigned_by"]


class TransitionInline(admin.TabularInline[TaskTransition, Task]):
    model = TaskTransition
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_status", "to_status", "comment", "at"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin[Engagement]):
    list_display = ["title", "client", "provider", "domain", "status", "start_date"]
    list_filter = ["status", "domain", "client", "provider"]
    search_fields = ["title"]
    list_select_related = ["client", "provider"]
    inlines = [TaskInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    list_display = ["title", "engagement", "status", "priority", "due_at"]
    list_filter = ["status", "priority"]
    search_fields = ["title"]
    readonly_fields = ["status", "resume_status"]
    list_select_related = ["engagement"]
    inlines = [AssignmentInline, TransitionInline]
