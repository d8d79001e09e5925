package main

import "image/color"

var plotterGrey = color.Gray{Y: 170}
