package deps

import (
	_ "github.com/BurntSushi/toml"
	_ "github.com/blackjack/webcam"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "go4.org/unsafe/assume-no-moving-gc"
	_ "golang.org/x/image/font"
	_ "golang.org/x/sys/cpu"
	_ "gonum.org/v1/gonum/stat"
	_ "gonum.org/v1/plot"
	_ "gorgonia.org/tensor"
	_ "periph.io/x/conn/v3/i2c"
	_ "periph.io/x/devices/v3/ssd1306"
	_ "periph.io/x/host/v3"
)
