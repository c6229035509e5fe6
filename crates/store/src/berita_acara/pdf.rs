//! The Berita Acara as a PDF: A4, the PDF's own Helvetica (nothing to
//! embed), sections of labelled lines, the job's photos in a grid and the
//! customer's signature, on as many pages as it takes. Pure: bytes in,
//! bytes out.

use image::{ImageReader, codecs::jpeg::JpegEncoder, imageops::FilterType};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

/// A photo for the document (any format `image` reads).
#[derive(Debug, Clone)]
pub struct Picture {
    pub caption: String,
    pub bytes: Vec<u8>,
}

/// What the document says.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// "BERITA ACARA PEMASANGAN"
    pub title: String,
    /// "No. BA-INS-2026-000123"
    pub number: String,
    /// The ISP's name, at the top.
    pub isp: String,
    /// Sections: a heading and its label/value lines.
    pub sections: Vec<(String, Vec<(String, String)>)>,
    pub photos_heading: String,
    pub photos: Vec<Picture>,
    pub signature_heading: String,
    /// The customer's signature and the line under it.
    pub signature: Option<Picture>,
    pub technician_line: String,
    /// Small print at the bottom of the last page (the evidence hash).
    pub footer: String,
}

const W: f32 = 595.0;
const H: f32 = 842.0;
const MARGIN: f32 = 42.0;

/// The text in the PDF's WinAnsi encoding (Latin-1 for what Indonesian
/// needs; anything else becomes `?`).
fn ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '–' => 0x96,
            '—' => 0x97,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '…' => 0x85,
            '€' => 0x80,
            _ => b'?',
        })
        .collect()
}

/// Lines of at most `width` points at `size` (Helvetica's letters average
/// about half their size).
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let max = ((width / (size * 0.5)) as usize).max(8);
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// A picture made a JPEG of at most `side` pixels, on white (a signature's
/// transparency included): (bytes, width, height).
fn jpeg(bytes: &[u8], side: u32) -> Option<(Vec<u8>, u32, u32)> {
    let img = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .decode()
        .ok()?;
    let img = img.resize(side, side, FilterType::Triangle).to_rgba8();
    let (w, h) = img.dimensions();
    let mut rgb = image::RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels() {
        let a = f32::from(p[3]) / 255.0;
        let blend = |c: u8| (f32::from(c) * a + 255.0 * (1.0 - a)).round() as u8;
        rgb.put_pixel(x, y, image::Rgb([blend(p[0]), blend(p[1]), blend(p[2])]));
    }
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&rgb)
        .ok()?;
    Some((out, w, h))
}

/// A page being written: its id, its content and its images by name.
type OpenPage = (Ref, Content, Vec<(String, Ref)>);

struct Writer {
    pdf: Pdf,
    next: i32,
    pages: Vec<Ref>,
    tree: Ref,
    page: Option<OpenPage>,
    y: f32,
}

impl Writer {
    fn id(&mut self) -> Ref {
        self.next += 1;
        Ref::new(self.next)
    }

    fn new_page(&mut self) {
        self.finish_page();
        let id = self.id();
        self.page = Some((id, Content::new(), Vec::new()));
        self.y = H - MARGIN;
    }

    fn room(&mut self, needed: f32) {
        if self.page.is_none() || self.y - needed < MARGIN {
            self.new_page();
        }
    }

    /// Draws on the current page (a new one if none is open).
    fn draw(&mut self, f: impl FnOnce(&mut Content)) {
        if self.page.is_none() {
            self.new_page();
        }
        if let Some(p) = self.page.as_mut() {
            f(&mut p.1);
        }
    }

    fn text(&mut self, x: f32, size: f32, bold: bool, s: &str) {
        let y = self.y;
        let font = if bold { Name(b"F2") } else { Name(b"F1") };
        let bytes = ansi(s);
        self.draw(|c| {
            c.begin_text()
                .set_font(font, size)
                .next_line(x, y)
                .show(Str(&bytes))
                .end_text();
        });
    }

    fn line(&mut self) {
        let y = self.y;
        self.draw(|c| {
            c.set_stroke_rgb(0.7, 0.7, 0.7)
                .set_line_width(0.5)
                .move_to(MARGIN, y)
                .line_to(W - MARGIN, y)
                .stroke();
        });
    }

    fn image(&mut self, bytes: &[u8], side: u32, x: f32, y: f32, bw: f32, bh: f32) -> bool {
        let Some((data, w, h)) = jpeg(bytes, side) else {
            return false;
        };
        let id = self.id();
        let mut image = self.pdf.image_xobject(id, &data);
        image.filter(Filter::DctDecode);
        image.width(w as i32).height(h as i32).bits_per_component(8);
        image.color_space().device_rgb();
        image.finish();
        let scale = (bw / w as f32).min(bh / h as f32);
        let (dw, dh) = (w as f32 * scale, h as f32 * scale);
        let name = if let Some(p) = self.page.as_mut() {
            let name = format!("Im{}", p.2.len() + 1);
            p.2.push((name.clone(), id));
            name
        } else {
            return false;
        };
        self.draw(|c| {
            c.save_state()
                .transform([dw, 0.0, 0.0, dh, x + (bw - dw) / 2.0, y + (bh - dh) / 2.0])
                .x_object(Name(name.as_bytes()))
                .restore_state();
        });
        true
    }

    fn finish_page(&mut self) {
        let Some((id, content, images)) = self.page.take() else {
            return;
        };
        let stream = self.id();
        self.pdf.stream(stream, &content.finish());
        let (f1, f2) = (Ref::new(1), Ref::new(2));
        let mut page = self.pdf.page(id);
        page.parent(self.tree)
            .media_box(Rect::new(0.0, 0.0, W, H))
            .contents(stream);
        let mut resources = page.resources();
        resources
            .fonts()
            .pair(Name(b"F1"), f1)
            .pair(Name(b"F2"), f2);
        {
            let mut x = resources.x_objects();
            for (name, r) in &images {
                x.pair(Name(name.as_bytes()), *r);
            }
        }
        resources.finish();
        page.finish();
        self.pages.push(id);
    }
}

/// The document as PDF bytes.
pub fn render(doc: &Document) -> Vec<u8> {
    let mut w = Writer {
        pdf: Pdf::new(),
        // 1 and 2: the fonts; 3: the catalog; 4: the page tree.
        next: 4,
        pages: Vec::new(),
        tree: Ref::new(4),
        page: None,
        y: H - MARGIN,
    };
    w.pdf
        .type1_font(Ref::new(1))
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    w.pdf
        .type1_font(Ref::new(2))
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    w.new_page();
    w.text(MARGIN, 10.0, true, &doc.isp);
    w.y -= 26.0;
    w.text(MARGIN, 16.0, true, &doc.title);
    w.y -= 18.0;
    w.text(MARGIN, 10.0, false, &doc.number);
    w.y -= 12.0;
    w.line();
    w.y -= 18.0;
    let label_w = 150.0;
    for (heading, lines) in &doc.sections {
        w.room(40.0);
        w.text(MARGIN, 11.0, true, heading);
        w.y -= 16.0;
        for (label, value) in lines {
            let wrapped = wrap(value, 9.5, W - 2.0 * MARGIN - label_w);
            w.room(13.0 * wrapped.len() as f32);
            w.text(MARGIN, 9.5, false, label);
            for (i, l) in wrapped.iter().enumerate() {
                if i > 0 {
                    w.y -= 13.0;
                }
                w.text(MARGIN + label_w, 9.5, true, l);
            }
            w.y -= 13.0;
        }
        w.y -= 8.0;
    }
    if !doc.photos.is_empty() {
        w.room(40.0);
        w.text(MARGIN, 11.0, true, &doc.photos_heading);
        w.y -= 12.0;
        let (cols, gap) = (3, 10.0);
        let bw = (W - 2.0 * MARGIN - gap * (cols as f32 - 1.0)) / cols as f32;
        let bh = bw * 0.75;
        for row in doc.photos.chunks(cols) {
            w.room(bh + 24.0);
            let top = w.y;
            for (i, p) in row.iter().enumerate() {
                let x = MARGIN + i as f32 * (bw + gap);
                w.image(&p.bytes, 900, x, top - bh, bw, bh);
                w.y = top - bh - 11.0;
                let caption: String = p.caption.chars().take(40).collect();
                w.text(x, 8.0, false, &caption);
                w.y = top;
            }
            w.y = top - bh - 22.0;
        }
    }
    w.room(150.0);
    w.y -= 6.0;
    w.text(MARGIN, 11.0, true, &doc.signature_heading);
    w.y -= 10.0;
    if let Some(sig) = &doc.signature {
        let top = w.y;
        w.image(&sig.bytes, 600, MARGIN, top - 80.0, 200.0, 80.0);
        w.y = top - 94.0;
        w.text(MARGIN, 9.5, false, &sig.caption);
    }
    w.y -= 16.0;
    w.text(MARGIN, 9.5, false, &doc.technician_line);
    w.y -= 24.0;
    for l in wrap(&doc.footer, 7.0, W - 2.0 * MARGIN) {
        w.room(10.0);
        w.text(MARGIN, 7.0, false, &l);
        w.y -= 9.0;
    }
    w.finish_page();
    let pages = w.pages.clone();
    w.pdf.catalog(Ref::new(3)).pages(w.tree);
    w.pdf
        .pages(w.tree)
        .kids(pages.iter().copied())
        .count(pages.len() as i32);
    w.pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([20, 80, 160, 255]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("png");
        out
    }

    #[test]
    fn a_document_with_photos_and_a_signature_is_a_pdf_over_pages() {
        let doc = Document {
            title: "BERITA ACARA PEMASANGAN".into(),
            number: "No. BA-INS-2026-000123".into(),
            isp: "NetFiber".into(),
            sections: vec![(
                "Pelanggan".into(),
                (0..60)
                    .map(|i| {
                        (
                            format!("Baris {i}"),
                            "Jl. Tubagus Ismail No. 5, Coblong — Bandung".into(),
                        )
                    })
                    .collect(),
            )],
            photos_heading: "Foto".into(),
            photos: (0..4)
                .map(|i| Picture {
                    caption: format!("Foto {i}"),
                    bytes: png(64, 40),
                })
                .collect(),
            signature_heading: "Tanda tangan".into(),
            signature: Some(Picture {
                caption: "Asep Sunandar".into(),
                bytes: png(120, 40),
            }),
            technician_line: "Teknisi: Andi".into(),
            footer: "SHA-256 abc".into(),
        };
        let pdf = render(&doc);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("BERITA ACARA PEMASANGAN"));
        assert!(
            text.contains("/Count 2"),
            "sixty lines and photos take two pages"
        );
        assert_eq!(text.matches("/Subtype /Image").count(), 5);
    }

    #[test]
    fn text_is_latin_and_wraps() {
        assert_eq!(ansi("Rp 1.000 – ok ☺"), b"Rp 1.000 \x96 ok ?".to_vec());
        let lines = wrap("satu dua tiga empat lima enam tujuh delapan", 10.0, 80.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= 16));
    }
}
