//! ARCHITECTURE.md names every workspace member, so the map cannot fall behind.

use std::path::Path;

#[test]
fn architecture_md_names_every_workspace_member() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let members = manifest["workspace"]["members"].as_array().unwrap();
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    assert!(members.len() >= 2);
    for member in members {
        let dir = root.join(member.as_str().unwrap());
        let crate_manifest: toml::Table = std::fs::read_to_string(dir.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let name = crate_manifest["package"]["name"].as_str().unwrap();
        assert!(
            map.contains(&format!("`{name}`")),
            "ARCHITECTURE.md does not name the crate `{name}` ({})",
            dir.display()
        );
    }
}

/// The workspace crates a crate's Cargo.toml depends on (normal dependencies).
fn workspace_dependencies(dir: &Path) -> Vec<String> {
    let manifest: toml::Table = std::fs::read_to_string(dir.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|deps| {
            deps.keys()
                .filter(|k| k.starts_with("wand-") || k.starts_with("bevy"))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn dependencies_point_the_way_architecture_md_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let expected: [(&str, &[&str]); 5] = [
        ("sim", &[]),
        ("primitives", &["wand-sim"]),
        ("agent", &["wand-primitives", "wand-sim"]),
        (".", &["wand-agent", "wand-primitives", "wand-sim"]),
        ("viewer", &["bevy", "bevy_egui", "wand-sim"]),
    ];
    for (dir, allowed) in expected {
        let mut found = workspace_dependencies(&root.join(dir));
        found.sort();
        assert_eq!(
            found, allowed,
            "{dir}/Cargo.toml: its wand and bevy dependencies are not the ones \
             ARCHITECTURE.md allows (only wand-viewer knows bevy; nothing depends on it)"
        );
    }
}
