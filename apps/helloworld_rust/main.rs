// Hello world app in Rust (std).
fn main() {
    println!("Hello, world!");
}
