//! Minimal writer for NumPy `.npy` files (version 1.0), so the Python peers
//! read exactly the instance our solver reads.
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub trait Element: Copy {
    const DESCR: &'static str;
    fn le_bytes(self, out: &mut Vec<u8>);
}

impl Element for f64 {
    const DESCR: &'static str = "<f8";
    fn le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Element for i64 {
    const DESCR: &'static str = "<i8";
    fn le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Element for u32 {
    const DESCR: &'static str = "<u4";
    fn le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

pub fn write<T: Element>(path: &Path, shape: &[usize], data: &[T]) -> std::io::Result<()> {
    assert_eq!(shape.iter().product::<usize>(), data.len(), "shape does not match data");
    let dims: Vec<String> = shape.iter().map(ToString::to_string).collect();
    let shape_text = if shape.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let mut header = format!("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", T::DESCR, shape_text);
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = BufWriter::new(File::create(path)?);
    out.write_all(b"\x93NUMPY\x01\x00")?;
    out.write_all(&(header.len() as u16).to_le_bytes())?;
    out.write_all(header.as_bytes())?;
    let mut buf = Vec::with_capacity(1 << 20);
    for chunk in data.chunks(1 << 16) {
        buf.clear();
        for &x in chunk {
            x.le_bytes(&mut buf);
        }
        out.write_all(&buf)?;
    }
    out.flush()
}
