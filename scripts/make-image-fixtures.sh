#!/bin/sh
# Remakes the BMP/JPEG/animation fixtures of test/unit/imageFormats.unit.test.ts with ImageMagick
# (apt-get install imagemagick), from one dataset picture coloured with a gradient so that wrong channels,
# palettes or row orders show. The files are committed; run this only to change them.
set -eu
IM=${IM:-/usr/bin/convert}
cd "$(dirname "$0")/../test/fixtures/images"
SRC=light-90x140-05.png
$IM $SRC +level-colors '#203060','#f0d090' \( -size 90x140 gradient:'#ff8080'-'#80ffff' \) -compose multiply -composite fmt-colour.png
$IM $SRC -colorspace Gray -type Palette -compress RLE BMP3:fmt-rle8-gray.bmp
$IM fmt-colour.png -colors 200 -type Palette -compress RLE BMP3:fmt-rle8-colour.bmp
$IM fmt-colour.png -colors 16 -type Palette -compress None BMP3:fmt-palette4.bmp
$IM fmt-colour.png -define bmp:subtype=RGB565 BMP:fmt-rgb565.bmp
$IM fmt-colour.png -define bmp:subtype=RGB555 BMP:fmt-rgb555.bmp
$IM fmt-colour.png -alpha set -type TrueColorAlpha BMP:fmt-argb32.bmp
$IM fmt-colour.png -colorspace CMYK -quality 92 fmt-cmyk.jpg
$IM fmt-colour.png $SRC -delay 20 -loop 0 fmt-animated.gif
$IM fmt-colour.png $SRC -delay 20 -loop 0 fmt-animated.webp
