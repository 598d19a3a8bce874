//! Every file lockin reads goes through here: scanned files, requirements includes, the
//! policy file, baselines and rule files. A path in, its bytes (or text) out, bounded:
//!
//! - only regular files are opened. The type is taken from the metadata of the final
//!   target of any symbolic link, and devices, FIFOs, sockets and anything under `/proc`,
//!   `/sys` or `/dev` are refused without being opened (opening a FIFO for reading blocks;
//!   `/proc` files report a size of 0 and may never end);
//! - at most `limit` bytes are read, counted while reading, not trusted from the reported
//!   size;
//! - text is decoded once: a UTF-8 byte-order mark is dropped, UTF-16 (with its BOM) is
//!   decoded, invalid UTF-8 is read lossily, a lone CR line end is read as LF (same
//!   length: offsets do not move; Python and JavaScript end lines there too, the parsers
//!   do not), and a NUL byte in the first 8 KiB makes a file binary.
//!
//! Never parses, never prints.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Folders of the kernel's virtual files: never read, whatever their metadata says.
pub const SPECIAL_ROOTS: &[&str] = &["/proc", "/sys", "/dev"];

/// The limit for files that are not scanned sources: the policy file, baselines, rules.
pub const CONFIG_LIMIT: u64 = 64 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file, or one of the kernel's virtual files: what it is.
    NotRegular(&'static str),
    /// Larger than the limit: the size when the metadata told it, else `None` (found while reading).
    TooLarge {
        /// The reported size, when it was over the limit already.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// The file system refused.
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotRegular(what) => write!(f, "not a regular file ({what}): not read"),
            ReadError::TooLarge { size: Some(size), limit } => {
                write!(f, "{} is over the {} limit", human(*size), human(*limit))
            }
            ReadError::TooLarge { size: None, limit } => write!(f, "over the {} limit", human(*limit)),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// `512 bytes`, `12.0 KiB`, `10.0 MiB`.
pub fn human(bytes: u64) -> String {
    match bytes {
        0..=1023 => format!("{bytes} bytes"),
        1024..=1048575 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1048576.0),
    }
}

fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Whether `path` (absolute, symbolic links resolved) is under `/proc`, `/sys` or `/dev`.
pub fn is_special(path: &Path) -> bool {
    SPECIAL_ROOTS.iter().any(|r| path.starts_with(r))
}

/// The metadata of a regular file at `path` (links followed), without opening it; an error
/// for anything else.
pub fn regular(path: &Path) -> Result<Metadata, ReadError> {
    // `symlink_metadata` first: a dangling link is reported as one.
    let link = std::fs::symlink_metadata(path)?;
    let meta = if link.file_type().is_symlink() { std::fs::metadata(path)? } else { link };
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind(&meta)));
    }
    if may_be_special(&meta) && is_special(&std::fs::canonicalize(path)?) {
        return Err(ReadError::NotRegular("a virtual file of the kernel"));
    }
    Ok(meta)
}

/// Whether a file may lie under a [`SPECIAL_ROOTS`] folder, so that its path must be
/// resolved to tell (a `canonicalize` per file was a tenth of a scan of an ordinary tree):
/// on Linux, only a file of a filesystem mounted under one of them, or of a kernel's own
/// filesystem mounted anywhere, can; elsewhere, or when the mount table cannot be read,
/// every file may.
fn may_be_special(meta: &Metadata) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        static DEVICES: std::sync::OnceLock<Option<Vec<u64>>> = std::sync::OnceLock::new();
        match DEVICES.get_or_init(special_devices) {
            Some(devices) => devices.contains(&meta.dev()),
            None => true,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = meta;
        true
    }
}

/// The devices of the filesystems mounted under [`SPECIAL_ROOTS`] or of a kernel type
/// (`/proc/self/mountinfo`: `36 35 98:0 /mnt1 /mnt/parent rw - ext3 /dev/root rw`).
#[cfg(target_os = "linux")]
fn special_devices() -> Option<Vec<u64>> {
    const KERNEL: &[&str] = &["proc", "sysfs", "devtmpfs", "devpts", "debugfs", "tracefs", "securityfs", "configfs"];
    let table = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut out = Vec::new();
    for line in table.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let (Some(dev), Some(point)) = (fields.get(2), fields.get(4)) else { return None };
        let fstype = fields.iter().position(|f| *f == "-").and_then(|i| fields.get(i + 1)).copied().unwrap_or("");
        let (major, minor) = dev.split_once(':')?;
        let (major, minor) = (major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?);
        if is_special(Path::new(point)) || KERNEL.contains(&fstype) {
            out.push(libc::makedev(major, minor));
        }
    }
    Some(out)
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: Some(meta.len()), limit });
    }
    let file = File::open(path)?;
    // The path may have been replaced since it was checked.
    let opened = file.metadata()?;
    if !opened.is_file() {
        return Err(ReadError::NotRegular(kind(&opened)));
    }
    let mut buf = Vec::with_capacity(opened.len().min(limit) as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(buf)
}

/// Decoded text and what decoding had to do to it.
#[derive(Debug)]
pub struct Text {
    /// The text.
    pub text: String,
    /// Said in `stats.errors` (`None`: plain UTF-8, with or without a BOM).
    pub note: Option<&'static str>,
}

/// Decodes file bytes; `None` for a binary file (a NUL byte in its first 8 KiB, not UTF-16).
pub fn decode(mut bytes: Vec<u8>) -> Option<Text> {
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => {
            bytes.drain(..3);
        }
        [0xFF, 0xFE, rest @ ..] => return Some(utf16(rest, u16::from_le_bytes)),
        [0xFE, 0xFF, rest @ ..] => return Some(utf16(rest, u16::from_be_bytes)),
        _ => {}
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return None;
    }
    Some(match String::from_utf8(bytes) {
        Ok(text) => Text { text: lone_cr_to_lf(text), note: None },
        Err(e) => Text {
            text: lone_cr_to_lf(String::from_utf8_lossy(e.as_bytes()).into_owned()),
            note: Some("invalid UTF-8: the bad bytes were read as U+FFFD"),
        },
    })
}

/// `\r` not followed by `\n` becomes `\n`: one ASCII byte for another.
fn lone_cr_to_lf(text: String) -> String {
    let b = text.as_bytes();
    if !memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n')) {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    String::from_utf8(bytes).expect("an ASCII byte replaced by another")
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Text {
    let units = bytes.chunks(2).map(|c| if c.len() == 2 { unit([c[0], c[1]]) } else { 0xFFFD });
    let text = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    Text { text: lone_cr_to_lf(text), note: Some("UTF-16: decoded and scanned") }
}

/// The text of a regular file at `path` of at most `limit` bytes, BOM dropped, UTF-16
/// decoded; binary files are refused. For the tool's own inputs (policy, baseline, rules).
pub fn text(path: &Path, limit: u64) -> io::Result<String> {
    decode(bytes(path, limit)?)
        .map(|t| t.text)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a binary file (NUL bytes), not text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_boms_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFopenai\n".to_vec()).unwrap().text, "openai\n");
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("é\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(le).unwrap().text, "é\n");
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("a".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(be).unwrap().text, "a");
        assert!(decode(b"a\0b".to_vec()).is_none());
        assert_eq!(decode(b"a\rb\r\nc\r".to_vec()).unwrap().text, "a\nb\r\nc\n");
        let bad = decode(b"a\xFFb".to_vec()).unwrap();
        assert_eq!((bad.text.as_str(), bad.note.is_some()), ("a\u{FFFD}b", true));
    }

    #[test]
    fn reads_are_bounded_while_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(bytes(&p, 10).unwrap().len(), 10);
        assert!(matches!(bytes(&p, 9), Err(ReadError::TooLarge { size: Some(10), limit: 9 })));
        assert!(matches!(bytes(dir.path(), 9), Err(ReadError::NotRegular("a folder"))));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn kernel_files_are_refused_unopened() {
        // Regular files of size 0 by their metadata, endless when read.
        for p in ["/proc/self/pagemap", "/proc/kmsg", "/dev/zero", "/sys/kernel/mm/transparent_hugepage/enabled"] {
            let p = Path::new(p);
            if p.exists() {
                assert!(matches!(bytes(p, 1 << 20), Err(ReadError::NotRegular(_))), "{}", p.display());
            }
        }
    }
}
