"""Numbers of several kinds, each its own yearly sequence: the 备案编号 sequence becomes the "filing" kind (the
numbers given so far are kept, so the next 备案 of a year continues where it stood); 备案通知书 and 综合论证意见
get their own frozen content and code."""

import django.db.models.deletion
from django.db import migrations, models


def keep_record_numbers(apps, schema_editor):
    old = apps.get_model("reviews", "RecordNumberSequence")
    new = apps.get_model("reviews", "DocumentNumberSequence")
    new.objects.bulk_create([new(kind="filing", year=row.year, last=row.last) for row in old.objects.all()])


def restore_record_numbers(apps, schema_editor):
    old = apps.get_model("reviews", "RecordNumberSequence")
    new = apps.get_model("reviews", "DocumentNumberSequence")
    old.objects.bulk_create([old(year=row.year, last=row.last) for row in new.objects.filter(kind="filing")])


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0008_list_indexes'),
        ('reviews', '0004_criterion_evidence'),
    ]

    operations = [
        migrations.CreateModel(
            name='DocumentNumberSequence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('filing', '备案编号'), ('revocation', '取消资格决定文号')], max_length=16, verbose_name='文件种类')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='已用至')),
            ],
            options={
                'verbose_name': '文号序列',
                'verbose_name_plural': '文号序列',
            },
        ),
        migrations.CreateModel(
            name='FilingNotice',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content', models.JSONField(verbose_name='通知内容')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要')),
                ('issued_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
            ],
            options={
                'verbose_name': '备案通知书',
                'verbose_name_plural': '备案通知书',
            },
        ),
        migrations.RunPython(keep_record_numbers, restore_record_numbers, elidable=True),
        migrations.DeleteModel(
            name='RecordNumberSequence',
        ),
        migrations.AddField(
            model_name='roundentry',
            name='content',
            field=models.JSONField(blank=True, null=True, verbose_name='论证意见内容'),
        ),
        migrations.AddField(
            model_name='roundentry',
            name='draft_printable',
            field=models.BooleanField(default=True, verbose_name='论证结束前可打印未定稿'),
        ),
        migrations.AddField(
            model_name='roundentry',
            name='sha256',
            field=models.CharField(blank=True, max_length=64, verbose_name='内容摘要'),
        ),
        migrations.AddConstraint(
            model_name='documentnumbersequence',
            constraint=models.UniqueConstraint(fields=('kind', 'year'), name='one_sequence_per_kind_and_year'),
        ),
        migrations.AddField(
            model_name='filingnotice',
            name='consortium',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='filing_notice', to='applications.consortium'),
        ),
    ]
