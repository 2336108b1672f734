# ruff: noqa: E501  (one indicator per line reads better than wrapped tuples)
"""The synthetic children's indicators: one line each, grouped by Every Child Matters outcome.

Columns of SPECS: id, title, value_type, polarity (+ higher is better, - higher is worse,
0 no judgement), denominator key (DENOMINATORS), base level, deprivation slope, yearly trend,
area random-effect sd. For proportions the level is a probability and slope/trend/sd act on
the logit; for rates and counts the level is events per person of the denominator and they act
on the log; for means they are in the indicator's own units.
"""

from __future__ import annotations

HEALTHY, SAFE = "Be healthy", "Stay safe"
ACHIEVE, CONTRIBUTE = "Enjoy and achieve", "Make a positive contribution"
ECONOMIC = "Achieve economic well-being"
THEMES = (HEALTHY, SAFE, ACHIEVE, CONTRIBUTE, ECONOMIC)

# key -> (share of the 0-15 population, description). "sessions" is pupils x 320 half-days.
DENOMINATORS: dict[str, tuple[float, str]] = {
    "births": (1 / 16, "live births (term births for birth weight)"),
    "age1": (1 / 16, "children reaching their first birthday"),
    "age5": (1 / 16, "children aged 5"),
    "reception": (0.95 / 16, "Reception children measured"),
    "year1": (1 / 16, "Year 1 pupils"),
    "year2": (1 / 16, "Year 2 pupils"),
    "year6": (0.95 / 16, "Year 6 children (measured, for weight)"),
    "ks4": (1 / 16, "pupils at the end of Key Stage 4"),
    "ks5": (0.55 / 16, "students at the end of 16-18 study"),
    "age0_4": (5 / 16, "children aged 0-4"),
    "age0_14": (15 / 16, "children aged 0-14"),
    "age0_15": (1.0, "children aged 0-15"),
    "age0_17": (18 / 16, "children and young people aged 0-17"),
    "age10_17": (8 / 16, "young people aged 10-17"),
    "age10_24": (15 / 16, "young people aged 10-24"),
    "age5_16": (12 / 16, "children aged 5-16"),
    "girls13_15": (1.5 / 16, "girls aged 13-15"),
    "girls15_17": (1.5 / 16, "girls aged 15-17"),
    "age16_17": (2 / 16, "young people aged 16-17 known to the local authority"),
    "age16_18": (3 / 16, "young people aged 16-18"),
    "age19": (1 / 16, "young people aged 19"),
    "pupils": (0.78, "pupils on roll"),
    "sessions": (0.78 * 320, "possible half-day sessions"),
    "families": (0.55, "households with dependent children"),
    "referrals": (0.035, "referrals to children's social care"),
    "offenders": (0.004, "young people in the offending cohort"),
    "care_leavers": (0.003, "care leavers aged 19-21"),
}

P, R, C, M = "proportion", "rate", "count", "mean"
SPECS: tuple[tuple, ...] = (
    # Be healthy
    (HEALTHY, "low_birth_weight", "Low birth weight of term babies", P, "-", "births", .028, .25, .0, .15),
    (HEALTHY, "breastfeeding_6_8wk", "Breastfeeding at 6-8 weeks", P, "+", "births", .45, -.35, .02, .15),
    (HEALTHY, "smoking_at_delivery", "Smoking status at time of delivery", P, "-", "births", .10, .55, -.06, .2),
    (HEALTHY, "reception_obese", "Reception: prevalence of obesity", P, "-", "reception", .095, .25, .02, .12),
    (HEALTHY, "reception_overweight", "Reception: prevalence of overweight (incl. obesity)", P, "-", "reception", .225, .18, .015, .1),
    (HEALTHY, "year6_obese", "Year 6: prevalence of obesity", P, "-", "year6", .20, .28, .03, .12),
    (HEALTHY, "year6_overweight", "Year 6: prevalence of overweight (incl. obesity)", P, "-", "year6", .355, .2, .02, .1),
    (HEALTHY, "mmr2_age5", "MMR vaccination for two doses (age 5)", P, "+", "age5", .89, -.3, -.04, .2),
    (HEALTHY, "dtap_ipv_hib_age1", "DTaP/IPV/Hib vaccination (1 year)", P, "+", "age1", .94, -.3, -.03, .2),
    (HEALTHY, "dental_decay_age5", "Five-year-olds with visible dental decay", P, "-", "age5", .20, .4, .0, .15),
    (HEALTHY, "dental_admissions_0_5", "Hospital admissions for dental caries (0-5 years)", R, "-", "age0_4", .0025, .45, -.05, .2),
    (HEALTHY, "asthma_admissions", "Hospital admissions for asthma (under 19 years)", R, "-", "age0_17", .0015, .35, .0, .2),
    (HEALTHY, "selfharm_admissions", "Hospital admissions as a result of self-harm (10-24 years)", R, "-", "age10_24", .0045, .3, .05, .2),
    (HEALTHY, "ae_attendances_0_4", "A&E attendances (0-4 years)", R, "-", "age0_4", .62, .25, .02, .1),
    (HEALTHY, "injury_admissions_0_14", "Hospital admissions caused by injuries (0-14 years)", R, "-", "age0_14", .009, .3, -.03, .15),
    (HEALTHY, "alcohol_admissions_u18", "Alcohol-specific hospital admissions (under 18s)", R, "-", "age0_17", .0005, .35, -.05, .25),
    (HEALTHY, "substance_admissions", "Hospital admissions due to substance misuse (15-24 years)", R, "-", "age10_24", .0012, .4, .0, .25),
    (HEALTHY, "infant_deaths", "Infant deaths (under 1 year)", C, "-", "births", .0035, .35, .0, .1),
    (HEALTHY, "camhs_referrals", "Referrals to children's mental health services", R, "0", "age0_17", .022, .2, .08, .15),
    (HEALTHY, "physically_active", "Children physically active for 60+ minutes a day", P, "+", "age5_16", .46, -.2, .0, .1),
    # Stay safe
    (SAFE, "children_in_need", "Children in need", R, "-", "age0_17", .032, .6, .02, .25),
    (SAFE, "child_protection_plans", "Children subject to a child protection plan", R, "-", "age0_17", .0042, .65, .0, .3),
    (SAFE, "looked_after", "Children looked after", R, "-", "age0_17", .0068, .7, .04, .3),
    (SAFE, "cla_starters", "Children starting to be looked after", C, "-", "age0_17", .0026, .7, .0, .3),
    (SAFE, "csc_referrals", "Referrals to children's social care", R, "-", "age0_17", .046, .55, .0, .2),
    (SAFE, "re_referrals", "Re-referrals within 12 months of a previous referral", P, "-", "referrals", .22, .3, -.05, .2),
    (SAFE, "domestic_abuse_children", "Domestic abuse incidents with children present", R, "-", "age0_17", .018, .6, .03, .25),
    (SAFE, "road_ksi_0_15", "Children killed or seriously injured on roads (0-15 years)", R, "-", "age0_15", .0004, .3, -.04, .2),
    (SAFE, "road_casualties_0_15", "Road casualties, all severities (0-15 years)", R, "-", "age0_15", .0012, .25, -.05, .2),
    (SAFE, "missing_episodes", "Children reported missing from home or care", R, "-", "age0_17", .006, .6, .0, .3),
    (SAFE, "early_help", "Early help assessments started", R, "0", "age0_17", .028, .5, .1, .2),
    (SAFE, "assault_admissions", "Hospital admissions for assault (under 18s)", R, "-", "age0_17", .0004, .5, .0, .25),
    (SAFE, "young_carers", "Young carers identified", R, "0", "age5_16", .011, .35, .06, .3),
    # Enjoy and achieve
    (ACHIEVE, "eyfs_gld", "Good level of development at the end of Reception", P, "+", "reception", .68, -.38, .01, .15),
    (ACHIEVE, "phonics_y1", "Year 1 phonics: meeting the expected standard", P, "+", "year1", .80, -.35, .0, .15),
    (ACHIEVE, "ks1_rwm", "Key Stage 1: expected standard in reading, writing and maths", P, "+", "year2", .62, -.38, -.02, .15),
    (ACHIEVE, "ks2_rwm_expected", "Key Stage 2: expected standard in reading, writing and maths", P, "+", "year6", .60, -.4, .0, .15),
    (ACHIEVE, "ks2_rwm_higher", "Key Stage 2: higher standard in reading, writing and maths", P, "+", "year6", .08, -.45, .0, .2),
    (ACHIEVE, "ks4_em_grade5", "Key Stage 4: grade 5 or above in English and maths", P, "+", "ks4", .46, -.45, .0, .15),
    (ACHIEVE, "ks4_em_grade4", "Key Stage 4: grade 4 or above in English and maths", P, "+", "ks4", .66, -.42, .0, .15),
    (ACHIEVE, "ks4_ebacc_entry", "Key Stage 4: entering the English Baccalaureate", P, "+", "ks4", .36, -.35, .03, .2),
    (ACHIEVE, "ks4_attainment8", "Key Stage 4: average Attainment 8 score", M, "+", "ks4", 46.5, -3.2, .0, 1.5),
    (ACHIEVE, "ks4_progress8", "Key Stage 4: average Progress 8 score", M, "+", "ks4", -.05, -.14, .0, .08),
    (ACHIEVE, "ks5_aps", "16-18: average point score per A level entry", M, "+", "ks5", 35.0, -1.2, .0, 1.0),
    (ACHIEVE, "overall_absence", "Overall absence (sessions missed)", P, "-", "sessions", .065, .18, .05, .06),
    (ACHIEVE, "persistent_absence", "Persistent absentees (10%+ of sessions missed)", P, "-", "pupils", .16, .3, .08, .12),
    (ACHIEVE, "severe_absence", "Severe absentees (50%+ of sessions missed)", P, "-", "pupils", .014, .5, .15, .25),
    (ACHIEVE, "suspensions", "Pupils with one or more suspensions", P, "-", "pupils", .022, .45, .07, .25),
    (ACHIEVE, "permanent_exclusions", "Permanent exclusions", P, "-", "pupils", .0009, .5, .05, .3),
    (ACHIEVE, "ehc_plans", "Pupils with an education, health and care plan", P, "0", "pupils", .024, .25, .08, .2),
    (ACHIEVE, "elective_home_ed", "Children electively home educated", R, "0", "age5_16", .011, .15, .12, .3),
    (ACHIEVE, "missing_education", "Children missing education", R, "-", "age5_16", .0022, .5, .05, .3),
    # Make a positive contribution
    (CONTRIBUTE, "first_time_entrants", "First-time entrants to the youth justice system", R, "-", "age10_17", .0015, .55, -.06, .3),
    (CONTRIBUTE, "youth_reoffending", "Proven reoffending by young people", P, "-", "offenders", .33, .3, .0, .2),
    (CONTRIBUTE, "youth_asb", "Youth anti-social behaviour incidents", R, "-", "age10_17", .03, .6, -.04, .3),
    (CONTRIBUTE, "youth_volunteering", "Young people volunteering in the last year", P, "+", "age16_18", .28, -.3, -.02, .15),
    (CONTRIBUTE, "youth_club_attendance", "Young people attending a youth club or group", P, "+", "age10_17", .17, -.1, -.05, .2),
    (CONTRIBUTE, "youth_parliament_votes", "Young people voting in the Youth Parliament ballot", P, "+", "age10_17", .31, -.25, .03, .2),
    (CONTRIBUTE, "duke_of_edinburgh", "Duke of Edinburgh's Award participants", P, "+", "age10_17", .06, -.35, .0, .25),
    (CONTRIBUTE, "under16_conceptions", "Under-16 conceptions", R, "-", "girls13_15", .004, .5, -.05, .3),
    (CONTRIBUTE, "under18_conceptions", "Under-18 conceptions", R, "-", "girls15_17", .015, .5, -.05, .25),
    # Achieve economic well-being
    (ECONOMIC, "neet_16_17", "16-17 year olds not in education, employment or training (NEET)", P, "-", "age16_17", .026, .55, .02, .25),
    (ECONOMIC, "activity_not_known", "16-17 year olds whose activity is not known", P, "-", "age16_17", .028, .3, -.06, .3),
    (ECONOMIC, "in_education_16_17", "16-17 year olds in education or training", P, "+", "age16_17", .92, -.4, .0, .2),
    (ECONOMIC, "apprenticeship_starts", "Apprenticeship starts (16-18 years)", R, "+", "age16_18", .03, .1, -.03, .2),
    (ECONOMIC, "children_low_income", "Children in relative low income families", P, "-", "age0_15", .17, .55, .03, .15),
    (ECONOMIC, "children_workless", "Children in workless households", P, "-", "age0_15", .10, .6, -.02, .2),
    (ECONOMIC, "level2_age19", "Qualified to Level 2 by age 19", P, "+", "age19", .82, -.4, .0, .15),
    (ECONOMIC, "level3_age19", "Qualified to Level 3 by age 19", P, "+", "age19", .57, -.4, .01, .15),
    (ECONOMIC, "temp_accommodation", "Families with children in temporary accommodation", R, "-", "families", .0012, .7, .1, .3),
    (ECONOMIC, "care_leavers_eet", "Care leavers in education, employment or training", P, "+", "care_leavers", .55, -.2, .0, .2),
)

# Per-cluster extra yearly trend, so that a few cluster trends are clearly significant.
CLUSTER_TRENDS: dict[str, dict[str, float]] = {
    "persistent_absence": {"Redditch": .14, "Worcester North": .12},
    "ks4_em_grade5": {"Kidderminster": .16},
    "looked_after": {"Worcester North": .15},
    "year6_obese": {"Stourport": .25, "Evesham": -.2},
    "eyfs_gld": {"Malvern": .15},
}

# (multiplier, unit) of proportions; rates take theirs from rate_scale() by their base level.
PROPORTION_SCALE = (100, "%")


def rate_scale(base: float) -> tuple[int, str]:
    """Per 1,000 for common events, per 10,000 or 100,000 for rarer ones."""
    if base >= 0.005:
        return 1000, "per 1,000"
    if base >= 0.001:
        return 10000, "per 10,000"
    return 100000, "per 100,000"
