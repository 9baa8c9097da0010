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
