//! The constant tables the demo catalog is generated from: the region's
//! geography, people's names, the makings of organizations and the text of
//! programs. They are data files under `api/assets/demo/`, compiled into the
//! binary with the `demo` feature and parsed on first use.

use std::sync::LazyLock;

use navigator_shared::catalog::Direction;
use serde::Deserialize;

/// The tables, parsed once; a unit test keeps the files well-formed.
#[allow(clippy::expect_used)] // the files are compiled in: a broken one is caught by `the_tables_load`
static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables::load().expect("the demo tables in api/assets/demo"));

/// The tables of `api/assets/demo/`.
pub fn tables() -> &'static Tables {
    &TABLES
}

/// All the tables, one field per file.
#[derive(Debug)]
pub struct Tables {
    pub geography: Geography,
    pub people: People,
    pub organizations: Organizations,
    pub programs: Programs,
}

impl Tables {
    fn load() -> anyhow::Result<Self> {
        fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> anyhow::Result<T> {
            toml::from_str(text).map_err(|e| anyhow::anyhow!("{file}: {e}"))
        }
        let tables = Self {
            geography: parse("geography.toml", include_str!("../../assets/demo/geography.toml"))?,
            people: parse("people.toml", include_str!("../../assets/demo/people.toml"))?,
            organizations: parse("organizations.toml", include_str!("../../assets/demo/organizations.toml"))?,
            programs: parse("programs.toml", include_str!("../../assets/demo/programs.toml"))?,
        };
        tables.check().map_err(anyhow::Error::msg)?;
        Ok(tables)
    }

    /// What the generator takes for granted: nothing it picks from is empty,
    /// and every profile an organization may teach exists.
    fn check(&self) -> Result<(), String> {
        let Geography { town_streets, village_streets, municipalities } = &self.geography;
        let People { surnames, male_names, female_names, patronymics } = &self.people;
        let named = [
            ("town_streets", town_streets),
            ("village_streets", village_streets),
            ("surnames", surnames),
            ("male_names", male_names),
            ("female_names", female_names),
            ("patronymics", patronymics),
            ("sport_clubs", &self.organizations.names.sport_clubs),
            ("houses_of_culture", &self.organizations.names.houses_of_culture),
            ("museum_centres", &self.organizations.names.museum_centres),
            ("format", &self.programs.format),
        ];
        for (name, list) in named {
            ensure(!list.is_empty(), || format!("{name} is empty"))?;
        }
        ensure(!municipalities.is_empty(), || "no municipality".into())?;
        for m in municipalities {
            ensure(!m.places.is_empty() && !m.tax_offices.is_empty(), || {
                format!("{}: no places or tax offices", m.name)
            })?;
            let towns = m.places.iter().any(|p| p.stem.is_empty());
            ensure(!towns || !m.streets.is_empty(), || format!("{}: a town without streets", m.name))?;
        }
        let names = &self.organizations.names;
        ensure(!names.ddt.is_empty() && !names.technic.is_empty(), || "ddt or technic names are empty".into())?;
        let themes = &self.organizations.themes;
        ensure(!themes.is_empty(), || "no theme".into())?;
        for theme in themes {
            ensure(!theme.nouns.is_empty() && !theme.names.is_empty(), || format!("a theme of {:?}", theme.names))?;
        }
        let profiles = &self.programs.profiles;
        let pools = self.organizations.pools.all().chain(themes.iter().map(|t| &t.profiles));
        for name in pools.flatten() {
            ensure(profiles.iter().any(|p| p.name == *name), || format!("no profile {name:?}"))?;
        }
        for p in profiles {
            let text = [&p.does, &p.learns, &p.results].iter().all(|list| !list.is_empty());
            ensure(text && !p.titles.is_empty(), || format!("{}: no titles or text", p.name))?;
            for (title, youngest, oldest) in &p.titles {
                ensure(youngest < oldest && *oldest <= 18, || format!("{title}: ages {youngest}–{oldest}"))?;
                ensure(!title.contains("{}") || !p.names.is_empty(), || format!("{title} needs names"))?;
            }
        }
        for d in Direction::ALL {
            ensure(profiles.iter().any(|p| p.direction == *d), || format!("no profile of {d:?}"))?;
        }
        Ok(())
    }
}

fn ensure(ok: bool, error: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(error()) }
}

/// `geography.toml`: the demo region.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geography {
    /// Streets every town has; town addresses use them as well as their own.
    pub town_streets: Vec<String>,
    pub village_streets: Vec<String>,
    /// In the order they are created in.
    #[serde(rename = "municipality")]
    pub municipalities: Vec<Municipality>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// As the region's reference names it: «Вяземский район».
    pub name: String,
    /// Latin part of emails: `ddt-vyazma@example.org`.
    pub slug: String,
    /// Nominative, after private organizations' names: «(Вязьма)».
    pub town: String,
    /// How official names end: «г. Вязьмы», «Смоленского района».
    pub of: String,
    /// «Вяземский районный Дом культуры».
    pub adjective: String,
    /// A city okrug: «городской» rather than «районный».
    pub city: bool,
    pub lat: f64,
    pub lon: f64,
    /// Telephone area code: 4 digits (Смоленск) or 5 (district towns).
    pub phone_code: String,
    /// Tax offices: the 3rd and 4th digits of INNs.
    pub tax_offices: Vec<u32>,
    /// Relative size (population, thousands).
    pub weight: u32,
    /// Before the place in addresses: «Смоленский район, ».
    #[serde(default)]
    pub address_prefix: String,
    pub places: Vec<Place>,
    /// Streets of its towns; villages have [`Geography::village_streets`].
    #[serde(default)]
    pub streets: Vec<String>,
    /// Schools are numbered 1..=this.
    pub schools: u32,
    /// Addresses may also use [`Geography::town_streets`].
    pub common_streets: bool,
}

/// A settlement where organizations are: a town, or a village of the Smolensk district.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// «г. Вязьма», «д. Михновка»: how addresses name it.
    pub label: String,
    /// Stem of the village's adjective («Михновск» → «Михновская школа»); empty for towns.
    #[serde(default)]
    pub stem: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

/// `people.toml`: names of teachers, contact persons and entrepreneurs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// Men's; women's are made from them.
    pub surnames: Vec<String>,
    pub male_names: Vec<String>,
    pub female_names: Vec<String>,
    /// Men's; the women's end in «-на» instead of «-ич».
    pub patronymics: Vec<String>,
}

/// `organizations.toml`: what organizations teach and are named.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organizations {
    pub pools: Pools,
    pub names: PublicNames,
    /// Private studios.
    #[serde(rename = "theme")]
    pub themes: Vec<Theme>,
}

/// Profiles of programs (names of [`Profile`]s) per kind of public organization.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pools {
    pub ddt: Vec<String>,
    pub school: Vec<String>,
    pub sport: Vec<String>,
    pub culture: Vec<String>,
    pub art_school: Vec<String>,
    pub music: Vec<String>,
    pub fine_art: Vec<String>,
    pub museum: Vec<String>,
    pub library: Vec<String>,
    pub technic: Vec<String>,
    pub digital: Vec<String>,
    pub nature: Vec<String>,
    pub tourism: Vec<String>,
}

impl Pools {
    fn all(&self) -> impl Iterator<Item = &Vec<String>> {
        [
            &self.ddt,
            &self.school,
            &self.sport,
            &self.culture,
            &self.art_school,
            &self.music,
            &self.fine_art,
            &self.museum,
            &self.library,
            &self.technic,
            &self.digital,
            &self.nature,
            &self.tourism,
        ]
        .into_iter()
    }
}

/// Names public organizations are made of.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicNames {
    /// (name, start of the email) of houses of children's creativity.
    pub ddt: Vec<(String, String)>,
    /// (name, start of the email) of stations of young technicians.
    pub technic: Vec<(String, String)>,
    pub sport_clubs: Vec<String>,
    pub houses_of_culture: Vec<String>,
    /// Museum and exhibition centres of Smolensk.
    pub museum_centres: Vec<String>,
}

/// A private studio's theme: its nouns, names and profiles.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Lower case: «студия», «школа робототехники».
    pub nouns: Vec<String>,
    pub names: Vec<String>,
    pub profiles: Vec<String>,
}

/// `programs.toml`: the text of programs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programs {
    /// Sentences on how the classes go; one may end a description.
    pub format: Vec<String>,
    /// Ends a sports program's description instead, half the time.
    pub sport_format: String,
    /// Ends the description of a program adapted for children with disabilities.
    pub disability: String,
    #[serde(rename = "direction")]
    pub directions: Directions,
    #[serde(rename = "profile")]
    pub profiles: Vec<Profile>,
}

/// The text of each direction.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directions {
    technical: DirectionText,
    natural_science: DirectionText,
    physical_sports: DirectionText,
    arts: DirectionText,
    tourism_local_history: DirectionText,
    social_humanitarian: DirectionText,
}

impl Directions {
    pub fn of(&self, direction: Direction) -> &DirectionText {
        match direction {
            Direction::Technical => &self.technical,
            Direction::NaturalScience => &self.natural_science,
            Direction::PhysicalSports => &self.physical_sports,
            Direction::Arts => &self.arts,
            Direction::TourismLocalHistory => &self.tourism_local_history,
            Direction::SocialHumanitarian => &self.social_humanitarian,
        }
    }
}

/// What every program of a direction shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectionText {
    /// Share of women among the teachers.
    pub female_teachers: f64,
    pub results: Vec<String>,
    pub tasks: Vec<String>,
    /// Stages of modules: introductory, main, final.
    pub modules: [Vec<String>; 3],
}

/// A profile of programs: what the catalog's «профиль» says, with the text to
/// describe such programs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub direction: Direction,
    pub name: String,
    /// How common such programs are.
    pub weight: u32,
    /// Title templates with their youngest and oldest ages; `{}` takes one of `names`.
    pub titles: Vec<(String, i32, i32)>,
    #[serde(default)]
    pub names: Vec<String>,
    /// What children do.
    pub does: Vec<String>,
    /// What they learn.
    pub learns: Vec<String>,
    /// What comes of it.
    pub results: Vec<String>,
    /// The aim, as a noun phrase.
    pub goal: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_load() {
        let tables = Tables::load().unwrap();
        assert!(tables.geography.municipalities.len() >= 2);
        assert!(tables.programs.profiles.len() >= Direction::ALL.len());
    }
}
