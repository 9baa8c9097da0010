//! The skill library (`--skills DIR`): functions that worked once, kept so later programs
//! can call them (Voyager's skill library, verified). A skill is a Python function with a
//! docstring in `DIR/<name>.py` and an entry in `DIR/index.toml` (its family and
//! template, the seeds it was verified on, wand's version, the primitives' fingerprint,
//! when it was made, whether it still passes); both are plain text a person may edit.
//!
//! - [`Library`]: the standard library (`scenes/skills/`, compiled in) and a folder of
//!   one's own on top; load, save, remove.
//! - [`rank`]: which skills an instruction is offered (BM25 over names and docstrings).
//! - [`learn`]: a program that passed its check becomes a function of the task's
//!   parameters, verified on fresh seeds before it is kept; [`verify`] re-runs skills.
//!
//! A run that is offered skills gets their signatures and docstrings in the prompt, and
//! their definitions run before its program (in its namespace: a program's own definition
//! of the same name wins).

pub mod learn; // a passed program into a verified function; verifying skills again
pub mod rank; // BM25 of an instruction against each skill's words

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use wand_primitives::registry;

/// The folder skills conventionally live in.
pub const DEFAULT_DIR: &str = ".wand/skills";

/// The version of `index.toml`'s format.
pub const INDEX_VERSION: u32 = 1;

/// The standard library's files, compiled in from `scenes/skills/`.
const STDLIB: &[(&str, &str)] = wand_primitives::STDLIB_SKILLS;

/// One skill: the function and what is known about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Skill {
    pub entry: Entry,
    /// The `.py` file's text: the function with its docstring.
    pub source: String,
    /// `name(a, b)`, from the `def` line.
    pub signature: String,
    /// The parameters' names, in order.
    pub params: Vec<String>,
    /// The docstring, without its quotes and indentation.
    pub doc: String,
    /// Whether it comes with wand (`scenes/skills/`) rather than from a folder of one's own.
    pub standard: bool,
}

/// A skill's line in `index.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub name: String,
    /// The task family it was learned on (and is verified against), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The instruction template of the run it was learned from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The seeds its family's check passed it on.
    #[serde(default)]
    pub verified_seeds: Vec<u64>,
    /// `verified`, or why it no longer passes (`wand skills verify` sets it).
    #[serde(default = "verified")]
    pub status: String,
    /// For a skill without a family (the standard library): a program that calls it and
    /// asserts what should hold, run on `check_scene` over the verified seeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_scene: Option<String>,
    /// wand's version when it was verified.
    #[serde(default)]
    pub wand_version: String,
    /// [`fingerprint`] of the primitives it was verified against.
    #[serde(default)]
    pub registry: String,
    /// When it was made (UTC, RFC 3339).
    #[serde(default)]
    pub created: String,
}

fn verified() -> String {
    "verified".into()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Index {
    version: u32,
    #[serde(default, rename = "skill")]
    skills: Vec<Entry>,
}

/// The skills a run may use: the standard library, then a folder's own (a name in both is
/// the folder's).
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub skills: Vec<Skill>,
    /// The folder of one's own skills, if any: where learned skills are written.
    pub dir: Option<PathBuf>,
}

/// A fingerprint of the primitives (names, signatures, levels): a skill verified against
/// other primitives may no longer work.
pub fn fingerprint() -> String {
    let mut text = String::new();
    for p in registry::PRIMITIVES {
        let _ = writeln!(text, "{} {:?}", p.signature(), p.level);
    }
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Skill {
    /// A skill from its entry and its file's text; the file must define the entry's name.
    pub fn parse(entry: Entry, source: String, standard: bool) -> Result<Skill, String> {
        let def = format!("def {}(", entry.name);
        let line = source
            .lines()
            .find(|l| l.starts_with(&def))
            .ok_or_else(|| format!("{}.py does not define `{def}...)`", entry.name))?;
        let inner = line[def.len()..]
            .rsplit_once(')')
            .map(|(params, _)| params)
            .ok_or_else(|| format!("{}.py: the def line does not close: {line}", entry.name))?;
        let params: Vec<String> = inner
            .split(',')
            .map(|p| p.split(['=', ':']).next().unwrap_or("").trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let signature = format!("{}({})", entry.name, inner.trim());
        Ok(Skill {
            doc: docstring(&source, line),
            signature,
            params,
            entry,
            source,
            standard,
        })
    }

    pub fn name(&self) -> &str {
        &self.entry.name
    }

    /// The docstring's first line.
    pub fn summary(&self) -> &str {
        self.doc.lines().next().unwrap_or_default()
    }

    /// Whether the last verification passed.
    pub fn is_verified(&self) -> bool {
        self.entry.status == "verified"
    }

    /// Whether it was verified against other primitives or another wand than this one
    /// (and so must be verified again before it is offered). The standard library is
    /// checked by the tests of the wand it ships with.
    pub fn is_stale(&self) -> bool {
        !self.standard
            && (self.entry.registry != fingerprint()
                || self.entry.wand_version != env!("CARGO_PKG_VERSION"))
    }

    /// What the prompt shows: the def line and the docstring, not the body.
    pub fn offer(&self) -> String {
        let mut text = format!("def {}:\n", self.signature);
        let _ = writeln!(text, "    \"\"\"");
        for line in self.doc.lines() {
            let _ = writeln!(text, "{}", format!("    {line}").trim_end());
        }
        let _ = writeln!(text, "    \"\"\"");
        text
    }
}

/// The docstring under `def_line` in `source`, dedented; empty when there is none.
fn docstring(source: &str, def_line: &str) -> String {
    let after: Vec<&str> = source
        .lines()
        .skip_while(|l| *l != def_line)
        .skip(1)
        .collect();
    let Some(first) = after.first().map(|l| l.trim()) else {
        return String::new();
    };
    let Some(quote) = ["\"\"\"", "'''"].into_iter().find(|q| first.starts_with(q)) else {
        return String::new();
    };
    let body = &first[3..];
    if let Some(end) = body.find(quote) {
        return body[..end].trim().to_string();
    }
    let mut lines = vec![body.trim().to_string()];
    for line in &after[1..] {
        if let Some(end) = line.find(quote) {
            lines.push(line[..end].trim().to_string());
            break;
        }
        lines.push(line.trim().to_string());
    }
    lines.join("\n").trim().to_string()
}

impl Library {
    /// The standard library alone.
    pub fn standard() -> Library {
        let index_text = STDLIB
            .iter()
            .find(|(name, _)| *name == "index.toml")
            .map(|(_, text)| *text)
            .expect("scenes/skills/index.toml is compiled in");
        let index: Index =
            toml::from_str(index_text).unwrap_or_else(|e| panic!("scenes/skills/index.toml: {e}"));
        let skills = index
            .skills
            .into_iter()
            .map(|entry| {
                let file = format!("{}.py", entry.name);
                let source = STDLIB
                    .iter()
                    .find(|(name, _)| *name == file)
                    .unwrap_or_else(|| panic!("scenes/skills/{file} is missing"))
                    .1
                    .to_string();
                Skill::parse(entry, source, true).unwrap_or_else(|e| panic!("scenes/skills: {e}"))
            })
            .collect();
        Library { skills, dir: None }
    }

    /// The standard library and the skills in `dir` on top (none yet when `dir` does not
    /// exist). A malformed index or a missing file is an error naming it.
    pub fn load(dir: &Path) -> Result<Library, String> {
        let mut library = Library::standard();
        library.dir = Some(dir.to_path_buf());
        for skill in load_dir(dir)? {
            library.add(skill);
        }
        Ok(library)
    }

    /// Adds `skill`, replacing one of the same name.
    pub fn add(&mut self, skill: Skill) {
        self.skills.retain(|s| s.name() != skill.name());
        self.skills.push(skill);
    }

    /// The skill called `name`.
    pub fn get(&self, name: &str) -> Option<&Skill> {
        self.skills.iter().find(|s| s.name() == name)
    }

    /// The folder's own skills (not the standard library's).
    pub fn own(&self) -> impl Iterator<Item = &Skill> {
        self.skills.iter().filter(|s| !s.standard)
    }

    /// Writes the folder's own skills: one `.py` each and `index.toml`.
    pub fn save(&self) -> Result<(), String> {
        let dir = self.dir.as_ref().ok_or("no skills folder to write to")?;
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut index = Index {
            version: INDEX_VERSION,
            skills: Vec::new(),
        };
        for skill in self.own() {
            let path = dir.join(format!("{}.py", skill.name()));
            std::fs::write(&path, &skill.source)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            index.skills.push(skill.entry.clone());
        }
        let text = format!(
            "# wand skill library: one [[skill]] per function in <name>.py beside this file.\n\
             # Edit freely; `wand skills verify` checks them again.\n{}",
            toml::to_string(&index).map_err(|e| e.to_string())?
        );
        let path = dir.join("index.toml");
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Removes the folder's skill `name` (its file and its entry).
    pub fn remove(&mut self, name: &str) -> Result<(), String> {
        let dir = self.dir.clone().ok_or("no skills folder")?;
        match self.skills.iter().position(|s| s.name() == name) {
            Some(i) if !self.skills[i].standard => {
                self.skills.remove(i);
                let _ = std::fs::remove_file(dir.join(format!("{name}.py")));
                self.save()
            }
            Some(_) => Err(format!(
                "{name} is in wand's standard library (scenes/skills/), not in {}",
                dir.display()
            )),
            None => Err(format!("no skill {name} in {}", dir.display())),
        }
    }

    /// The definitions of `skills`, for the run before a program.
    pub fn prelude(skills: &[&Skill]) -> String {
        let mut text = String::new();
        for skill in skills {
            text.push_str(skill.source.trim_end());
            text.push_str("\n\n");
        }
        text
    }
}

/// The skills of `dir`'s index.
fn load_dir(dir: &Path) -> Result<Vec<Skill>, String> {
    let path = dir.join("index.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let index: Index = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if index.version != INDEX_VERSION {
        return Err(format!(
            "{} is version {} of the index format; this wand reads version {INDEX_VERSION}",
            path.display(),
            index.version
        ));
    }
    index
        .skills
        .into_iter()
        .map(|entry| {
            let file = dir.join(format!("{}.py", entry.name));
            let source = std::fs::read_to_string(&file).map_err(|e| {
                format!(
                    "{} names {}, which cannot be read: {e}",
                    path.display(),
                    file.display()
                )
            })?;
            Skill::parse(entry, source, false).map_err(|e| format!("{}: {e}", dir.display()))
        })
        .collect()
}

/// The skills section of the task message: each offered skill's signature and docstring.
pub fn prompt_section(skills: &[&Skill]) -> String {
    if skills.is_empty() {
        return String::new();
    }
    let mut text = String::from(
        "Skills: these functions are already defined (verified on earlier tasks); call them \
         like primitives when they fit.\n```python\n",
    );
    for skill in skills {
        text.push_str(&skill.offer());
        text.push('\n');
    }
    text.push_str("```\n");
    text
}

/// Now in RFC 3339 (UTC, seconds).
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Days since 1970-01-01 into (year, month, day) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_library_parses_with_docstrings() {
        let library = Library::standard();
        assert!(library.skills.len() >= 6);
        for skill in &library.skills {
            assert!(!skill.doc.is_empty(), "{} has no docstring", skill.name());
            assert!(skill.standard && skill.is_verified());
            assert!(skill.entry.check.is_some(), "{} has no check", skill.name());
        }
    }

    #[test]
    fn a_def_line_gives_the_signature_and_parameters() {
        let entry = Entry {
            name: "f".into(),
            family: None,
            template: None,
            verified_seeds: vec![],
            status: verified(),
            check: None,
            check_scene: None,
            wand_version: String::new(),
            registry: String::new(),
            created: String::new(),
        };
        let source = "def f(names, axis='x', descending=False):\n    \"\"\"Sort them.\n\n    More.\n    \"\"\"\n    return names\n";
        let skill = Skill::parse(entry.clone(), source.into(), false).unwrap();
        assert_eq!(skill.signature, "f(names, axis='x', descending=False)");
        assert_eq!(skill.params, ["names", "axis", "descending"]);
        assert_eq!(skill.doc, "Sort them.\n\nMore.");
        let err = Skill::parse(entry, "x = 1\n".into(), false).unwrap_err();
        assert!(err.contains("does not define `def f(...)`"), "{err}");
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
