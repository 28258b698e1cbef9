from django.db import migrations


class Migration(migrations.Migration):
    """A member change's 补充协议 is named for what it is: the 组建协议 is the other agreement (docs/glossary.md)."""

    dependencies = [
        ("evaluations", "0007_supplementary_agreement_signatories"),
    ]

    operations = [
        migrations.RenameField(model_name="memberchange", old_name="agreement", new_name="supplementary_agreement"),
    ]
