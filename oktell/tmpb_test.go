package oktell

import (
	"strings"
	"testing"
)

func BenchmarkTmpManyProps(b *testing.B) {
	doc := []byte(`<oktellcommapper><data><event id="112" name="notify">` + strings.Repeat(`<property_simple key="a" value="1" />`, 100) + `</event></data></oktellcommapper>`)
	b.ReportAllocs()
	for b.Loop() {
		Decode(doc)
	}
}
func BenchmarkTmpManyPropsSpaced(b *testing.B) {
	doc := []byte(`<oktellcommapper><data><event id="112" name="notify">` + strings.Repeat("\r\n     <property_simple key=\"backcolor_argb\" value=\"00000000-0000-0000-0000-000000000000\" />", 100) + `</event></data></oktellcommapper>`)
	b.ReportAllocs()
	for b.Loop() {
		Decode(doc)
	}
}
