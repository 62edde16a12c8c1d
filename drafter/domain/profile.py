"""The market profile (SPEC §3): pydantic models with French YAML keys.

Attributes are English; each field's alias is the French YAML key and its
``description`` is the French sentence shown by the wizard and in error messages.
``load_profile`` (in :mod:`drafter.loading`) is the only entry point for files.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from drafter.domain.mechanisms import Mechanism
from drafter.domain.values import (
    Amount,
    BuyerCategory,
    Count,
    Cpv,
    ExceptionMotive,
    Form,
    FrameworkMethod,
    Hours,
    LaunchDate,
    Nature,
    Percent,
    Procedure,
    Rate,
    Text,
    _choice,
)

MAX_LOTS = 5000

# Re-exported: the profile names these values (modules import them from here or from ``values``).
__all__ = ["BuyerCategory", "ExceptionMotive", "Form", "FrameworkMethod", "Mechanism", "Nature", "Procedure"]


_STRICT = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Contact(BaseModel):
    model_config = _STRICT
    name: Text = Field(alias="nom", description="Nom de la personne à contacter")
    email: Text | None = Field(None, alias="courriel", description="Adresse électronique")
    phone: Text | None = Field(None, alias="telephone", description="Numéro de téléphone")


class Buyer(BaseModel):
    model_config = _STRICT
    name: Text = Field(alias="nom", description="Nom de l'acheteur (service de l'État, établissement…)")
    category: Annotated[BuyerCategory, _choice("categorie")] = Field(
        alias="categorie",
        description="Catégorie d'acheteur : etat, autre_pouvoir_adjudicateur ou entite_adjudicatrice",
    )
    service: Text | None = Field(None, alias="service", description="Service acheteur (facultatif)")
    address: Text = Field(alias="adresse", description="Adresse postale de l'acheteur")
    signatory: Text = Field(alias="representant", description="Représentant qui signe (ex. « Le préfet de … »)")
    contact: Contact | None = Field(None, alias="contact", description="Contact de l'acheteur (facultatif)")


class AgreementTerms(BaseModel):
    """Terms of the agreement with the facilitator's structure (convention de partenariat)."""

    model_config = _STRICT
    scope: Literal["marche", "programme"] = Field(
        "marche",
        alias="perimetre",
        description="Périmètre de la convention : marche (ce marché) ou programme (un programme d'achats ou une année)",
    )
    programme: Text | None = Field(
        None,
        alias="programme",
        description="Programme ou année couverts (ex. « achats de l'État en Occitanie, année 2027 »)",
    )
    funding: Literal["gratuit", "finance"] = Field(
        "gratuit",
        alias="financement",
        description="Mission de facilitation gratuite pour l'acheteur (gratuit) ou rémunérée (finance)",
    )
    amount: Amount | None = Field(
        None, alias="montant_ht", description="Montant HT versé à la structure lorsque la mission est rémunérée"
    )


class Facilitator(BaseModel):
    model_config = _STRICT
    name: Text = Field(alias="nom", description="Nom du facilitateur ou de la facilitatrice")
    organisation: Text = Field(
        alias="structure", description="Structure qui porte le facilitateur (ex. Toulouse Métropole Emploi)"
    )
    address: Text = Field(alias="adresse", description="Adresse de la structure du facilitateur")
    email: Text = Field(alias="courriel", description="Adresse électronique du facilitateur")
    phone: Text = Field(alias="telephone", description="Téléphone du facilitateur")
    territory: Text | None = Field(None, alias="territoire", description="Territoire couvert (facultatif)")
    agreement: AgreementTerms | None = Field(
        None,
        alias="convention",
        description="Conditions de la convention avec la structure (périmètre, financement) ; par défaut : ce "
                    "marché, à titre gratuit",
    )


class ExceptionChoice(BaseModel):
    model_config = _STRICT
    motive: ExceptionMotive | None = Field(
        None,
        alias="motif",
        description="Motif d'exception à la condition sociale obligatoire (art. L2112-2-1 II du CCP)",
    )
    justification: str | None = Field(
        None,
        alias="justification",
        description="Justification écrite, conservée au dossier, du recours à l'exception",
    )


class InsertionSettings(BaseModel):
    """Insertion choices; every field optional (market defaults, lot overrides)."""

    model_config = _STRICT
    mechanism: Mechanism | None = Field(
        None, alias="dispositif", description="Dispositif juridique (auto : drafter choisit)"
    )
    rate: Rate | None = Field(
        None,
        alias="taux_insertion",
        description="Taux d'insertion : part des heures de main-d'œuvre (ex. 0.05 ou « 5 % »)",
        json_schema_extra={"note": "part des heures de main-d'œuvre"},
    )
    hourly_cost: Amount | None = Field(
        None,
        alias="cout_horaire",
        description="Coût horaire chargé de calibrage, en euros HT",
        json_schema_extra={"note": "euros HT, coût chargé de calibrage"},
    )
    criterion: bool | None = Field(
        None,
        alias="critere",
        description="Ajouter un critère d'attribution « insertion » (true / false)",
        json_schema_extra={"note": "critère d'attribution « insertion »"},
    )
    criterion_weight: Percent | None = Field(
        None,
        alias="ponderation_critere",
        description="Pondération du critère « insertion », en % de la note",
        json_schema_extra={"note": "% de la note"},
    )
    penalty_per_hour: Amount | None = Field(
        None,
        alias="penalite_par_heure",
        description="Pénalité par heure d'insertion non réalisée, en euros HT",
        json_schema_extra={"note": "euros HT par heure non réalisée"},
    )
    training_hours: Hours | None = Field(
        None,
        alias="heures_formation_par_salarie",
        description="Condition de formation (plan de progrès) : heures de formation par salarié affecté au marché "
                    "et par année d'exécution",
        json_schema_extra={"note": "par salarié et par année d'exécution"},
    )
    framework_method: FrameworkMethod | None = Field(
        None,
        alias="methode_accord_cadre",
        description="Méthode de calcul pour un accord-cadre à bons de commande : ratio, minimum ou estime",
    )
    inclusive_suppliers: Count | None = Field(
        None,
        alias="structures_inclusives_disponibles",
        description="Nombre de structures inclusives (SIAE, EA, ESAT) repérées au sourçage",
        json_schema_extra={"note": "SIAE, EA, ESAT repérées au sourçage"},
    )
    exception: ExceptionChoice | None = Field(
        None, alias="exception", description="Exception motivée à la condition sociale obligatoire"
    )


class LotFields(BaseModel):
    """Fields a lot carries (also allowed under ``marche`` for a single-lot market)."""

    model_config = _STRICT
    estimate: Amount | None = Field(
        None,
        alias="montant_estime_ht",
        description="Montant estimé HT, en euros, sur toute la durée (reconductions comprises)",
        json_schema_extra={"note": "euros HT, sur toute la durée"},
    )
    minimum: Amount | None = Field(
        None,
        alias="montant_minimum_ht",
        description="Montant minimum HT de l'accord-cadre, en euros (facultatif)",
        json_schema_extra={"note": "euros HT, accord-cadre"},
    )
    maximum: Amount | None = Field(
        None,
        alias="montant_maximum_ht",
        description="Montant maximum HT de l'accord-cadre, en euros (facultatif)",
        json_schema_extra={"note": "euros HT, accord-cadre"},
    )
    sector: Text | None = Field(
        None,
        alias="secteur",
        description="Secteur d'activité (clé de la table des parts de main-d'œuvre : drafter regles)",
    )
    labour_share: Rate | None = Field(
        None,
        alias="part_main_oeuvre",
        description="Part de main-d'œuvre dans le montant (ex. 0.65 ou « 65 % »)",
        json_schema_extra={"note": "remplace la valeur de la table des secteurs"},
    )
    insertion_object: bool = Field(
        False,
        alias="objet_insertion",
        description="L'insertion est-elle l'objet même du marché (marché d'insertion) ? true / false",
        json_schema_extra={"note": "l'insertion est l'objet du marché (marché d'insertion)"},
    )
    staff_taken_over_hours: Hours | None = Field(
        None,
        alias="heures_mensuelles_personnel_repris",
        description="Heures mensuelles du personnel repris (nettoyage, pondération PACT Propreté)",
        json_schema_extra={"note": "nettoyage : pondération PACT Propreté"},
    )
    support_activity: Text | None = Field(
        None,
        alias="activite_support",
        description="Marché d'insertion : activité support confiée aux personnes en parcours, décrite pour "
                    "elle-même (ex. « entretien des berges : débroussaillage, ramassage des déchets »)",
    )
    insertion_positions: Count | None = Field(
        None,
        alias="postes_insertion",
        description="Marché d'insertion : nombre de postes en parcours d'insertion simultanément pourvus",
        json_schema_extra={"note": "marché d'insertion"},
    )
    support_hours: Hours | None = Field(
        None,
        alias="heures_activite_support",
        description="Marché d'insertion : heures de travail des personnes en parcours sur l'activité support, sur "
                    "toute la durée",
        json_schema_extra={"note": "marché d'insertion, sur toute la durée"},
    )


LOT_FIELD_ALIASES = tuple(f.alias for f in LotFields.model_fields.values() if f.alias)


class LotHead(BaseModel):
    """A lot's identity (first in the YAML)."""

    model_config = _STRICT
    number: Annotated[int, Field(ge=1, le=100000)] = Field(
        alias="numero", description="Numéro du lot (entier à partir de 1)"
    )
    title: Text = Field(alias="intitule", description="Intitulé du lot")


class Lot(LotFields, LotHead):
    """A lot: identity, amounts and sector (:class:`LotFields`), then its own facilitator and choices.

    Field order is the order of the keys in a profile file (``LotHead`` first, then ``LotFields``)."""

    facilitator: Facilitator | None = Field(
        None, alias="facilitateur", description="Facilitateur propre à ce lot (sinon celui du marché)"
    )
    insertion: InsertionSettings | None = Field(
        None, alias="insertion", description="Choix d'insertion propres à ce lot (sinon ceux du marché)"
    )


class MarketHead(BaseModel):
    """The market's own fields (its lot fields follow them under ``marche`` for a single lot)."""

    model_config = _STRICT
    subject: Text = Field(alias="objet", description="Objet du marché")
    reference: Text = Field(alias="reference", description="Référence du marché (sert au nom du dossier de sortie)")
    nature: Annotated[Nature, _choice("nature")] = Field(
        alias="nature", description="Nature du marché : travaux, services ou fournitures"
    )
    form: Annotated[Form, _choice("forme")] = Field(
        alias="forme",
        description="Forme : marche_ordinaire, accord_cadre_bons_de_commande ou accord_cadre_marches_subsequents",
    )
    procedure: Annotated[Procedure, _choice("procedure")] = Field(
        alias="procedure", description="Procédure de passation (code, ou « MAPA », « Appel d'offres ouvert »…)"
    )
    launch_date: LaunchDate | None = Field(
        None,
        alias="date_lancement",
        description="Date de lancement de la consultation (AAAA-MM-JJ ou JJ/MM/AAAA) ; par défaut, aujourd'hui",
        json_schema_extra={"note": "date à laquelle les règles sont lues"},
    )
    duration_months: Annotated[int, Field(ge=1, le=600)] = Field(
        alias="duree_mois",
        description="Durée totale en mois, reconductions comprises",
        json_schema_extra={"note": "durée totale, reconductions comprises"},
    )
    place: Text = Field(alias="lieu_execution", description="Lieu d'exécution")
    cpv: list[Cpv] | None = Field(
        None,
        alias="cpv",
        description="Codes CPV au format NNNNNNNN-N ; sans chiffre de contrôle, il est complété (facultatif)",
        json_schema_extra={"note": "facultatif, format NNNNNNNN-N"},
    )
    defence_or_security: bool = Field(
        False, alias="defense_ou_securite", description="Marché de défense ou de sécurité ? true / false"
    )


class Pieces(BaseModel):
    """How the pieces fit into the buyer's own documents: the number of the article that receives them."""

    model_config = _STRICT
    ccap_article: Annotated[int, Field(ge=1, le=99)] | None = Field(
        None,
        alias="article_ccap",
        description="Numéro de l'article de votre CCAP qui reçoit les dispositions sociales (ex. 9 : « Article 9 – "
        "Dispositions sociales », puis 9.1, 9.2…) ; sans numéro, les titres ne sont pas numérotés",
    )
    rc_article: Annotated[int, Field(ge=1, le=99)] | None = Field(
        None,
        alias="article_rc",
        description="Numéro de l'article de votre règlement de la consultation qui reçoit les dispositions sociales "
        "(ex. 6) ; sans numéro, les titres ne sont pas numérotés",
    )


class Market(LotFields, MarketHead):
    """The market; for a single-lot market it also carries the lot fields (SPEC §3 shorthand)."""


class Profile(BaseModel):
    """A whole market profile as read from YAML."""

    model_config = _STRICT
    version: Literal[1] = Field(alias="version", description="Version du format de profil (1)")
    buyer: Buyer = Field(alias="acheteur", description="L'acheteur public")
    market: Market = Field(alias="marche", description="Le marché")
    facilitator: Facilitator | None = Field(
        None, alias="facilitateur", description="Facilitateur de la clause (par défaut pour chaque lot)"
    )
    insertion: InsertionSettings = Field(
        default_factory=InsertionSettings, alias="insertion", description="Choix d'insertion par défaut pour chaque lot"
    )
    lots: Annotated[list[Lot], Field(min_length=1, max_length=MAX_LOTS)] | None = Field(
        None, alias="lots", description="Les lots (omettre pour un marché à lot unique)"
    )
    pieces: Pieces = Field(
        default_factory=Pieces,
        alias="pieces",
        description="Numéros des articles de votre CCAP et de votre RC qui reçoivent les pièces",
    )

    def effective_lots(self) -> list[Lot]:
        """The lots, with the single-lot shorthand expanded into one lot numbered 1."""
        if self.lots is not None:
            return list(self.lots)
        fields = {
            alias: getattr(self.market, name)
            for name, f in LotFields.model_fields.items()
            if (alias := f.alias) and name in self.market.model_fields_set
        }
        return [Lot.model_validate({"numero": 1, "intitule": self.market.subject, **fields})]

    @property
    def is_single_lot(self) -> bool:
        return self.lots is None


def merged_insertion(profile: Profile, lot: Lot) -> InsertionSettings:
    """Market insertion settings overridden by the lot's (only the fields it sets)."""
    values = {name: getattr(profile.insertion, name) for name in profile.insertion.model_fields_set}
    if lot.insertion is not None:
        values.update({name: getattr(lot.insertion, name) for name in lot.insertion.model_fields_set})
    return InsertionSettings.model_validate(values)


def lot_path(profile: Profile, index: int) -> tuple[str | int, ...]:
    """Location prefix of a lot's own fields in the YAML (``marche`` for the shorthand)."""
    return ("marche",) if profile.is_single_lot else ("lots", index)
