//! Links `flor` as a position-dependent executable on x86-64 Linux. A position-independent one
//! spends about a millisecond of every run applying relocations before `main`, a third of a
//! whole `flor search`; the library, the tests and the fuzz targets are built as usual.

fn main() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if target == "x86_64-unknown-linux-gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
