//! Bytes set aside on disk until linking: the packed pending calls ([`super::pending`]) and
//! findings ([`super::kept`]) of every parsed file wait there for the whole tree to be read.
//!
//! Packed, they were still most of what grew with the tree (issue 15: about 10 MB per copy
//! of pydantic-ai, so that peak RSS grew with the tree rather than with its largest file).
//! Each run of bytes is written at the end of one temporary file (removed by the system
//! when the scan ends, whatever happens) and read back once, when linking asks for it. A
//! run shorter than [`SPILL_MIN`] stays in memory, and so does everything when the file
//! cannot be made or written: spilling only saves memory, it never changes the result.

use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Runs shorter than this stay in memory (a write and a read cost more than they save).
pub const SPILL_MIN: usize = 4096;

/// Bytes in memory or at a place of the spill file.
#[derive(Debug)]
pub enum Stored {
    /// In memory.
    Mem(Box<[u8]>),
    /// In the spill file, at `offset`.
    Disk {
        /// Where the run starts.
        offset: u64,
        /// Its length.
        len: usize,
    },
}

impl Default for Stored {
    fn default() -> Self {
        Stored::Mem(Box::default())
    }
}

/// The spill file (`None` once making it failed) and the end of what is written in it.
static FILE: OnceLock<Option<File>> = OnceLock::new();
static END: AtomicU64 = AtomicU64::new(0);

impl Stored {
    /// Keeps `bytes`: on disk when they are long enough and writing them works.
    pub fn keep(bytes: Vec<u8>) -> Stored {
        if bytes.len() < SPILL_MIN {
            return Stored::Mem(bytes.into());
        }
        match write(&bytes) {
            Some(offset) => Stored::Disk { offset, len: bytes.len() },
            None => Stored::Mem(bytes.into()),
        }
    }

    /// The bytes, as kept. A run that cannot be read back (the spill file was damaged
    /// behind the scan's back) reads as empty: the file's findings are then lost, never
    /// invented.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Stored::Mem(b) => std::borrow::Cow::Borrowed(b),
            Stored::Disk { offset, len } => std::borrow::Cow::Owned(read(*offset, *len).unwrap_or_default()),
        }
    }

    /// How many bytes are kept.
    pub fn len(&self) -> usize {
        match self {
            Stored::Mem(b) => b.len(),
            Stored::Disk { len, .. } => *len,
        }
    }

    /// Whether no byte is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the bytes are in memory.
    pub fn in_memory(&self) -> bool {
        matches!(self, Stored::Mem(_))
    }
}

#[cfg(unix)]
fn write(bytes: &[u8]) -> Option<u64> {
    use std::os::unix::fs::FileExt;
    let file = FILE.get_or_init(|| tempfile::tempfile().ok()).as_ref()?;
    // Each writer reserves its own range, then writes there: no lock held while writing.
    let offset = END.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    file.write_all_at(bytes, offset).ok()?;
    Some(offset)
}

#[cfg(unix)]
fn read(offset: u64, len: usize) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let file = FILE.get()?.as_ref()?;
    let mut buf = vec![0; len];
    file.read_exact_at(&mut buf, offset).ok()?;
    Some(buf)
}

#[cfg(not(unix))]
fn write(_bytes: &[u8]) -> Option<u64> {
    None
}

#[cfg(not(unix))]
fn read(_offset: u64, _len: usize) -> Option<Vec<u8>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_runs_stay_in_memory_long_ones_come_back_equal() {
        let short = Stored::keep(vec![7; 10]);
        assert!(short.in_memory());
        assert_eq!(&*short.bytes(), &[7; 10][..]);
        let runs: Vec<Vec<u8>> =
            (0..4u8).map(|i| (0..SPILL_MIN * 2 + usize::from(i)).map(|j| (j % 251) as u8 ^ i).collect()).collect();
        let kept: Vec<Stored> = runs.iter().map(|r| Stored::keep(r.clone())).collect();
        for (r, k) in runs.iter().zip(&kept) {
            assert_eq!(k.len(), r.len());
            assert_eq!(&*k.bytes(), &r[..]);
        }
        assert!(kept.iter().any(|k| !k.in_memory()), "nothing was spilled");
    }
}
