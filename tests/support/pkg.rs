//! The widget's files as scripts/build-widget.sh left them in pkg/: each file's size raw and of its
//! brotli and gzip copies, which the proxy serves as they are.

use std::path::Path;

/// One file of pkg/ and the sizes of what the proxy may send for it.
#[derive(Clone, Debug)]
pub struct BuiltFile {
    /// Its name (and URL path under the proxy), e.g. `helpdock_widget_bg.3f2a9c01.wasm`.
    pub name: String,
    /// The file's own size.
    pub raw: u64,
    /// `<name>.br`'s size.
    pub br: u64,
    /// `<name>.gz`'s size.
    pub gz: u64,
}

impl BuiltFile {
    /// Whether it is one of the first screen's four: the loader, the glue, the main wasm, the
    /// stylesheet (`widget.js`, `helpdock_widget.<hash>.js`, `helpdock_widget_bg.<hash>.wasm`,
    /// `helpdock.<hash>.css`).
    pub fn is_first_screen(&self) -> bool {
        let n = self.name.as_str();
        n == "widget.js"
            || (n.starts_with("helpdock_widget.") && n.ends_with(".js"))
            || (n.starts_with("helpdock_widget_bg.") && n.ends_with(".wasm"))
            || (n.starts_with("helpdock.") && n.ends_with(".css"))
    }
}

/// Every file of pkg/ (not the compressed copies), by name.
pub fn built_files() -> Vec<BuiltFile> {
    let pkg = super::workspace_root().join("pkg");
    let size = |path: &Path| {
        std::fs::metadata(path)
            .unwrap_or_else(|e| {
                panic!(
                    "{} ({e}): build with scripts/build-widget.sh",
                    path.display()
                )
            })
            .len()
    };
    let mut files: Vec<BuiltFile> = std::fs::read_dir(&pkg)
        .unwrap_or_else(|e| {
            panic!(
                "{} ({e}): build with scripts/build-widget.sh",
                pkg.display()
            )
        })
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.ends_with(".br") && !name.ends_with(".gz"))
        .map(|name| BuiltFile {
            raw: size(&pkg.join(&name)),
            br: size(&pkg.join(format!("{name}.br"))),
            gz: size(&pkg.join(format!("{name}.gz"))),
            name,
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}
