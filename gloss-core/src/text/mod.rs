//! Unicode for a corpus in Vietnamese: offsets, display sanitizing, wrapped layout, motions,
//! accent-insensitive folding, and the tokens (syllables and punctuation marks). Knows nothing of
//! terminals.

pub mod collate;
pub mod display;
pub mod fold;
pub mod key;
pub mod layout;
pub mod motion;
pub mod offsets;
pub mod tokens;

pub use display::{escape_path, sanitize_inline, sanitize_inline_owned, sanitize_inline_padded};
pub use key::{same_text, text_key};
pub use layout::Layout;
pub use offsets::CharIndex;
