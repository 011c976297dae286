package oktell

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/okdash/okdash/internal/naivedecode"
)

func benchOkdash(b *testing.B, doc []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		d, err := Decode(doc)
		if err != nil || len(d.Events) != 1 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func benchEncodingXML(b *testing.B, doc []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		d, err := naivedecode.DecodeDocument(doc)
		if err != nil || len(d.Events) != 1 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecodeNotify decodes the seed's Notify example in UTF-16LE with a BOM, with
// okdash's decoder and with encoding/xml; the ratio sub-benchmark runs both in turn and
// reports how many times more events per second okdash reads (target: 10).
func BenchmarkDecodeNotify(b *testing.B) {
	doc := readSeed(b, "112_notify.xml")
	if _, err := naivedecode.DecodeDocument(doc); err != nil {
		b.Fatal(err)
	}
	b.Run("okdash", func(b *testing.B) { benchOkdash(b, doc) })
	b.Run("encoding_xml", func(b *testing.B) { benchEncodingXML(b, doc) })
	// ratio: each op decodes once with each, timed apart, in the same run and process.
	b.Run("ratio", func(b *testing.B) {
		var mine, ref time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := Decode(doc); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, err := naivedecode.DecodeDocument(doc); err != nil {
				b.Fatal(err)
			}
			mine, ref = mine+t1.Sub(t0), ref+time.Since(t1)
		}
		b.ReportMetric(float64(ref)/float64(mine), "x-events/s")
	})
}

// synthLog is a CommonLog-like stream generated on the fly: an xmlevent heading with a
// timestamp, then a document, over and over (UTF-16LE Notify, UTF-8 UserMessage,
// UTF-16LE UserStateChanged), up to size bytes.
type synthLog struct {
	blocks [][]byte
	size   int64
	n      int64
	i      int
	cur    []byte
	docs   int
}

func newSynthLog(tb testing.TB, size int64) *synthLog {
	s := &synthLog{size: size}
	for i, name := range []string{"112_notify.xml", "114_usermessage.utf8.xml", "111_userstatechanged.xml"} {
		head := fmt.Sprintf("\r\n2026-11-24 09:00:%02d.000 [%d] xmlevent\r\n", i, i)
		s.blocks = append(s.blocks, append([]byte(head), readSeed(tb, name)...))
	}
	return s
}

func (s *synthLog) Read(p []byte) (int, error) {
	if s.n >= s.size {
		return 0, io.EOF
	}
	if len(s.cur) == 0 {
		s.cur = s.blocks[s.i%len(s.blocks)]
		s.i++
		s.docs++
	}
	n := copy(p, s.cur)
	if rest := s.size - s.n; int64(n) > rest {
		n = int(rest)
	}
	s.cur = s.cur[n:]
	s.n += int64(n)
	return n, nil
}

// BenchmarkScanner100MB scans a 100 MB synthetic log and decodes every document. It
// reports MB/s and the peak heap in use, sampled every 1000 documents, which must stay
// flat (a few MB) however long the log is.
func BenchmarkScanner100MB(b *testing.B) {
	const size = 100 << 20
	b.SetBytes(size)
	b.ReportAllocs()
	var peak, base uint64
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base = ms.HeapInuse
	docs := 0
	start := time.Now()
	for b.Loop() {
		s := NewScanner(newSynthLog(b, size))
		for n := 0; ; n++ {
			it, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if it.Err != nil && n < 10 {
				b.Fatal(it.Err)
			}
			docs++
			if n%1000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "heap-growth-MB")
	b.ReportMetric(float64(docs)/time.Since(start).Seconds(), "docs/s")
}

// BenchmarkHostile reads hostile inputs at two sizes ten times apart, reporting the cost
// per input byte, which must stay flat (linear cost), and MB/s beside the scanner's on
// documents (a gap must not be slower than documents; issue 10 items 8 and 11):
// go test ./oktell -run '^$' -bench Hostile.
func BenchmarkHostile(b *testing.B) {
	scan := func(b *testing.B, in []byte) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			s := NewScanner(bytes.NewReader(in))
			for {
				if _, err := s.Next(); err != nil {
					break
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(in)), "ns/byte")
	}
	doc := readSeed(b, "112_notify.xml")
	for _, mb := range []int{1, 10} {
		size := mb << 20
		b.Run(fmt.Sprintf("documents/%dMB", mb), func(b *testing.B) {
			scan(b, bytes.Repeat(doc, size/len(doc)))
		})
		b.Run(fmt.Sprintf("less-than-gap/%dMB", mb), func(b *testing.B) {
			scan(b, bytes.Repeat([]byte("<"), size))
		})
		b.Run(fmt.Sprintf("stray-close-tags/%dMB", mb), func(b *testing.B) {
			scan(b, bytes.Repeat([]byte("</oktellcommapper>"), size/18))
		})
		b.Run(fmt.Sprintf("binary-gap/%dMB", mb), func(b *testing.B) {
			g := make([]byte, size)
			for i := range g {
				g[i] = byte(i*7 + i>>8)
			}
			scan(b, g)
		})
	}
	// Each op scans 1 MB of documents and 1 MB of each gap, timed apart, in the same run:
	// the cost of a gap byte over a document byte, which must stay at or below 1.
	b.Run("gap-vs-documents", func(b *testing.B) {
		docs := bytes.Repeat(doc, (1<<20)/len(doc))
		gaps := map[string][]byte{"less-than": bytes.Repeat([]byte("<"), len(docs)),
			"stray-close": bytes.Repeat([]byte("</oktellcommapper>"), len(docs)/18)}
		took := map[string]time.Duration{}
		run := func(name string, in []byte) {
			t0 := time.Now()
			s := NewScanner(bytes.NewReader(in))
			for {
				if _, err := s.Next(); err != nil {
					break
				}
			}
			took[name] += time.Since(t0)
		}
		for b.Loop() {
			run("documents", docs)
			for name, g := range gaps {
				run(name, g)
			}
		}
		for name := range gaps {
			b.ReportMetric(float64(took[name])/float64(took["documents"]), "x-"+name)
		}
	})
	// A peer that sends one byte at a time: a long root start tag, and a close tag
	// followed by endless spaces. What is searched is not searched again at every byte.
	for _, kb := range []int{16, 160} {
		tag := []byte(`<oktellcommapper` + strings.Repeat(` a="1"`, kb<<10/6) + `/>`)
		spaces := append([]byte("</oktellcommapper"), bytes.Repeat([]byte(" "), kb<<10)...)
		for name, in := range map[string][]byte{"slow-peer-root-tag": tag, "slow-peer-close-spaces": spaces} {
			b.Run(fmt.Sprintf("%s/%dKB", name, kb), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				for b.Loop() {
					s := NewScanner(iotest.OneByteReader(bytes.NewReader(in)))
					for {
						if _, err := s.Next(); err != nil {
							break
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(in)), "ns/byte")
			})
		}
	}
	// Messages cut inside their CDATA, one after another, then a whole one: each hides the
	// next one's start, and every one is read again as before sections were known.
	for _, kb := range []int{64, 640} {
		cut := `<oktellcommapper><data><event id="114" name="usermessage"><property_cdata key="text"><![CDATA[cut ` + "\r\n"
		whole := `<oktellcommapper><data><event id="114" name="usermessage"><property_cdata key="text"><![CDATA[x]]></property_cdata></event></data></oktellcommapper>`
		in := []byte(strings.Repeat(cut, kb<<10/len(cut)) + whole)
		b.Run(fmt.Sprintf("cut-in-cdata/%dKB", kb), func(b *testing.B) {
			scan(b, in)
		})
	}
	for _, n := range []int{10000, 100000} {
		bomb := attributeBomb(n, -1)
		b.Run(fmt.Sprintf("attributes/%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(bomb)))
			for b.Loop() {
				if _, err := Decode(bomb); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(bomb)), "ns/byte")
		})
	}
}
