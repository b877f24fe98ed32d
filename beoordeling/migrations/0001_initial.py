"""The models moved from ``dossiers`` (see dossiers.0005): their tables exist already.

State only, except the append-only trigger on review decisions, installed under its new
name (the old one was dropped in dossiers.0005).
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('dossiers', '0005_move_review_to_beoordeling'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.CreateModel(
            name='EvaluationMoment',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('who', models.CharField(max_length=200, verbose_name='wie')),
                ('what', models.CharField(max_length=500, verbose_name='wat')),
                ('due_date', models.DateField(db_index=True, verbose_name='wanneer')),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['due_date', 'position'],
            },
        ),
        migrations.CreateModel(
            name='EvaluationRecord',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('result', models.CharField(choices=[('bereikt', 'Doelen bereikt'), ('deels', 'Doelen deels bereikt'), ('niet_bereikt', 'Doelen niet bereikt')], max_length=20, verbose_name='resultaat')),
                ('summary', models.TextField(blank=True, verbose_name='wat is er besproken')),
                ('next_step', models.CharField(choices=[('doorgaan', 'Doorgaan met het plan'), ('plan_aanpassen', 'Het plan aanpassen (nieuwe versie)'), ('afsluiten', 'De hulp afsluiten')], max_length=20, verbose_name='vervolg')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('moment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='record', to='beoordeling.evaluationmoment')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Hulpverleningsplan',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('version', models.PositiveSmallIntegerField()),
                ('problem_picture', models.TextField(blank=True, verbose_name='samenhangend beeld van de problemen')),
                ('goals_short_term', models.TextField(blank=True, verbose_name='doelen voor de korte termijn')),
                ('goals_long_term', models.TextField(blank=True, verbose_name='doelen voor daarna (bijvoorbeeld na vertrek uit de hulp)')),
                ('end_date_prognosis', models.DateField(blank=True, null=True, verbose_name='verwachte einddatum')),
                ('omgangsregeling', models.TextField(blank=True, verbose_name='omgangsregeling')),
                ('interventions', models.JSONField(blank=True, default=list, verbose_name='gekozen hulp')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('set_at', models.DateTimeField(null=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plans', to='dossiers.dossier')),
                ('set_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['dossier', '-version'],
            },
        ),
        migrations.AddField(
            model_name='evaluationmoment',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_moments', to='beoordeling.hulpverleningsplan'),
        ),
        migrations.CreateModel(
            name='ReviewDecision',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('child_index', models.PositiveSmallIntegerField()),
                ('intervention_code', models.CharField(max_length=20)),
                ('intervention_name', models.CharField(max_length=200)),
                ('decision', models.CharField(choices=[('accept', 'Overgenomen'), ('decline', 'Niet overgenomen'), ('add', 'Toegevoegd')], max_length=10)),
                ('reason', models.CharField(blank=True, choices=[('niet_van_toepassing', 'Past niet bij dit gezin'), ('context_past_niet', 'De omstandigheden passen niet'), ('oneens_met_onderbouwing', 'Oneens met de onderbouwing'), ('zorg_over_uitkomst', 'Zorgen over de uitkomst'), ('voorkeur_gezin', 'Het gezin wil het niet'), ('niet_beschikbaar', 'Niet beschikbaar of wachtlijst')], max_length=30)),
                ('comment', models.TextField(blank=True)),
                ('decided_at', models.DateTimeField(auto_now_add=True)),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('dossier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='dossiers.dossier')),
                ('snapshot', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='dossiers.suggestionsnapshot')),
            ],
            options={
                'verbose_name': 'beslissing',
                'ordering': ['decided_at', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='hulpverleningsplan',
            constraint=models.UniqueConstraint(fields=('dossier', 'version'), name='one_plan_per_version'),
        ),
        ]),
        pgtrigger.migrations.AddTrigger(
            model_name='reviewdecision',
            trigger=pgtrigger.compiler.Trigger(name='review_decision_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='a5637dd6d406b775d83ccba7742abe7a430e62fc', operation='UPDATE OR DELETE', pgid='pgtrigger_review_decision_append_only_c3104', table='beoordeling_reviewdecision', when='BEFORE')),
        ),
    ]
