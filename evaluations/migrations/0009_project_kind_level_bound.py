# Issue 18.4: kind and level bound (§五). Rows recorded before with a pair the plan does not allow are settled first:
# 重点项目 and 揭榜挂帅 are the city's programmes whatever level was picked (→ 市级); a 省级以上科技计划 recorded at
# 市级 is a city project of another kind (→ 其他). Name, amount, period and status are kept; each row changed is printed.

from django.conf import settings
from django.db import migrations, models




def settle_unbound_pairs(apps, schema_editor):
    SupportProject = apps.get_model("evaluations", "SupportProject")
    city_programmes = SupportProject.objects.filter(kind__in=["key_project", "open_competition"]).exclude(level="municipal")
    provincial_at_city = SupportProject.objects.filter(kind="provincial_plan", level="municipal")
    for project in city_programmes:
        print(f"  承担项目 {project.pk}「{project.name}」：{project.kind} 级别 {project.level} → municipal")
    for project in provincial_at_city:
        print(f"  承担项目 {project.pk}「{project.name}」：provincial_plan（市级）→ other")
    city_programmes.update(level="municipal")
    provincial_at_city.update(kind="other")


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0010_ban_lift_four_eyes'),
        ('evaluations', '0008_the_supplementary_agreement'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(settle_unbound_pairs, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='supportproject',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'key_project'), ('level__in', ['municipal'])), models.Q(('kind', 'open_competition'), ('level__in', ['municipal'])), models.Q(('kind', 'provincial_plan'), ('level__in', ['provincial', 'national'])), models.Q(('kind', 'other'), ('level__in', ['municipal', 'provincial', 'national'])), _connector='OR'), name='support_project_kind_level_bound', violation_error_message='重点项目、揭榜挂帅为市级，省级以上科技计划为省级或国家级。'),
        ),
    ]
