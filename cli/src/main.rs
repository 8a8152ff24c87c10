//! The `causeway` command-line tool.
fn main() {
    println!("causeway");
}
