"""The starting synonym sets and crisis terms (migration 0008); editors change them in the admin.

Compiled from general knowledge for this project: brand and generic names of
common psychiatric medicines (US and UK brands), everyday and clinical names
for the same condition, and British and American spellings.
"""

MEDICATION_SYNONYMS = [
    "Klonopin, Rivotril, clonazepam",
    "Zoloft, Lustral, sertraline",
    "Prozac, Sarafem, fluoxetine",
    "Lexapro, Cipralex, escitalopram",
    "Celexa, Cipramil, citalopram",
    "Paxil, Seroxat, paroxetine",
    "Wellbutrin, Zyban, bupropion",
    "Xanax, alprazolam",
    "Ativan, lorazepam",
    "Valium, diazepam",
    "Effexor, venlafaxine",
    "Cymbalta, duloxetine",
    "Pristiq, desvenlafaxine",
    "Remeron, Zispin, mirtazapine",
    "Desyrel, trazodone",
    "Trintellix, Brintellix, vortioxetine",
    "Viibryd, vilazodone",
    "Spravato, esketamine",
    "Luvox, Faverin, fluvoxamine",
    "Anafranil, clomipramine",
    "Elavil, amitriptyline",
    "Pamelor, nortriptyline",
    "BuSpar, buspirone",
    "Abilify, aripiprazole",
    "Seroquel, quetiapine",
    "Zyprexa, olanzapine",
    "Risperdal, risperidone",
    "Latuda, lurasidone",
    "Vraylar, Reagila, cariprazine",
    "Rexulti, brexpiprazole",
    "Geodon, ziprasidone",
    "Invega, paliperidone",
    "Clozaril, clozapine",
    "Haldol, haloperidol",
    "Lamictal, lamotrigine",
    "Depakote, Depakote ER, divalproex",
    "Depakene, Epilim, valproate",
    "Tegretol, carbamazepine",
    "Lithobid, Priadel, Camcolit, lithium",
    "Neurontin, gabapentin",
    "Lyrica, pregabalin",
    "Adderall, mixed amphetamine salts",
    "Ritalin, Concerta, Medikinet, methylphenidate",
    "Vyvanse, Elvanse, lisdexamfetamine",
    "Strattera, atomoxetine",
    "Intuniv, guanfacine",
    "Ambien, Stilnoct, zolpidem",
    "Zimovane, zopiclone",
    "Restoril, temazepam",
    "Vistaril, Atarax, hydroxyzine",
    "Inderal, propranolol",
    "Antabuse, disulfiram",
    "Revia, Vivitrol, naltrexone",
    "Subutex, buprenorphine",
]

LAY_CLINICAL_SYNONYMS = [
    "panic attacks, panic disorder",
    "can't sleep, insomnia, sleeplessness, trouble sleeping",
    "bipolar, bipolar disorder, manic depression",
    "OCD, obsessive compulsive disorder",
    "PTSD, post traumatic stress disorder, post-traumatic stress",
    "ADHD, attention deficit hyperactivity disorder, attention deficit disorder",
    "depression, low mood, feeling down",
    "anxiety, anxious, worry",
    "social anxiety, social phobia",
    "postpartum depression, postnatal depression",
    "GAD, generalised anxiety disorder",
    "SAD, seasonal affective disorder, winter depression",
    "self harm, self injury",
    "grief, bereavement, mourning",
    "burnout, work stress",
    "therapy, counselling, psychotherapy, talking therapy",
    "CBT, cognitive behavioural therapy",
    "DBT, dialectical behaviour therapy",
    "EMDR, eye movement desensitization and reprocessing",
    "SSRI, selective serotonin reuptake inhibitor",
    "SNRI, serotonin norepinephrine reuptake inhibitor",
    "antidepressants, antidepressant medication",
    "benzos, benzodiazepines",
    "eating disorder, disordered eating",
    "anorexia, anorexia nervosa",
    "bulimia, bulimia nervosa",
    "psychosis, psychotic episode",
    "loneliness, lonely, social isolation",
    "nightmares, bad dreams",
]

SPELLING_SYNONYMS = [
    "behaviour, behavior",
    "behavioural, behavioral",
    "counselling, counseling",
    "counsellor, counselor",
    "paediatric, pediatric",
    "recognise, recognize",
    "recognising, recognizing",
    "generalised, generalized",
    "hospitalisation, hospitalization",
    "stabilise, stabilize",
    "tranquilliser, tranquilizer",
    "programme, program",
    "centre, center",
    "ageing, aging",
    "anaesthesia, anesthesia",
    "oestrogen, estrogen",
    "practise, practice",
    "desensitisation, desensitization",
]

SYNONYMS = {
    "medication": MEDICATION_SYNONYMS,
    "lay_clinical": LAY_CLINICAL_SYNONYMS,
    "spelling": SPELLING_SYNONYMS,
}

# Matched generously (articles/search/crisis.py); the core list there always applies too.
CRISIS_TERMS = [
    "suicide",
    "suicidal",
    "sucide",
    "suicde",
    "suiside",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "take my own life",
    "want to die",
    "wanna die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "no reason to live",
    "don't want to live",
    "don't want to be here",
    "self harm",
    "self-harm",
    "hurt myself",
    "hurting myself",
    "cutting myself",
    "overdose",
    "overdosing",
    "od on",
]


def install_defaults(synonym_model, crisis_term_model) -> None:
    """Add the default synonym sets and crisis terms that are missing (editors' own stay)."""
    existing = {terms.lower() for terms in synonym_model.objects.values_list("terms", flat=True)}
    synonym_model.objects.bulk_create(
        synonym_model(terms=terms, kind=kind)
        for kind, sets in SYNONYMS.items()
        for terms in sets
        if terms.lower() not in existing
    )
    phrases = {p.lower() for p in crisis_term_model.objects.values_list("phrase", flat=True)}
    crisis_term_model.objects.bulk_create(
        crisis_term_model(phrase=phrase) for phrase in CRISIS_TERMS if phrase.lower() not in phrases
    )
