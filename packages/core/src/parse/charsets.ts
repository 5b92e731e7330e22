/**
 * The IANA "Character Sets" registry (https://www.iana.org/assignments/character-sets): every
 * registered charset name and alias, lower-cased. RFC 2046 §4.1.2 asks text to declare a charset
 * registered there (or a private `x-` one); whether this platform's `TextDecoder` can decode it is
 * another matter, so the checker asks this table, not the decoder.
 *
 * One line per registered charset: its name first, then its aliases. Split into a set once, when
 * the module loads.
 */
const REGISTRY = `
ansi_x3.4-1968 ansi_x3.4-1986 ibm367 iso646-us iso_646.irv:1991 cp367 csascii iso-ir-6 us us-ascii
iso-8859-1 iso_8859-1:1987 cp819 ibm819 iso_8859-1 csisolatin1 iso-ir-100 l1 latin1
iso-8859-2 iso_8859-2:1987 iso_8859-2 csisolatin2 iso-ir-101 l2 latin2
iso-8859-3 iso_8859-3:1988 iso_8859-3 csisolatin3 iso-ir-109 l3 latin3
iso-8859-4 iso_8859-4:1988 iso_8859-4 csisolatin4 iso-ir-110 l4 latin4
iso-8859-5 iso_8859-5:1988 iso_8859-5 csisolatincyrillic cyrillic iso-ir-144
iso-8859-6 iso_8859-6:1987 asmo-708 ecma-114 iso_8859-6 arabic csisolatinarabic iso-ir-127
iso-8859-7 iso_8859-7:1987 ecma-118 elot_928 iso_8859-7 csisolatingreek greek greek8 iso-ir-126
iso-8859-8 iso_8859-8:1988 iso_8859-8 csisolatinhebrew hebrew iso-ir-138
iso-8859-9 iso_8859-9:1989 iso_8859-9 csisolatin5 iso-ir-148 l5 latin5
iso-8859-10 iso_8859-10:1992 csisolatin6 iso-ir-157 l6 latin6
iso_6937-2-add csisotextcomm iso-ir-142
jis_x0201 x0201 cshalfwidthkatakana
jis_encoding csjisencoding
shift_jis ms_kanji csshiftjis
euc-jp extended_unix_code_packed_format_for_japanese cseucpkdfmtjapanese
extended_unix_code_fixed_width_for_japanese cseucfixwidjapanese
bs_4730 iso646-gb csiso4unitedkingdom gb iso-ir-4 uk
sen_850200_c iso646-se2 csiso11swedishfornames iso-ir-11 se2
it iso646-it csiso15italian iso-ir-15
es iso646-es csiso17spanish iso-ir-17
din_66003 iso646-de csiso21german de iso-ir-21
ns_4551-1 iso646-no csiso60danishnorwegian csiso60norwegian1 iso-ir-60 no
nf_z_62-010 iso646-fr csiso69french fr iso-ir-69
iso-10646-utf-1 csiso10646utf1
iso_646.basic:1983 csiso646basic1983 ref
invariant csinvariant
iso_646.irv:1983 csiso2intlrefversion irv iso-ir-2
nats-sefi csnatssefi iso-ir-8-1
nats-sefi-add csnatssefiadd iso-ir-8-2
nats-dano csnatsdano iso-ir-9-1
nats-dano-add csnatsdanoadd iso-ir-9-2
sen_850200_b fi iso646-fi iso646-se csiso10swedish iso-ir-10 se
ks_c_5601-1987 ksc_5601 ks_c_5601-1989 csksc56011987 iso-ir-149 korean
iso-2022-kr csiso2022kr
euc-kr cseuckr
iso-2022-jp csiso2022jp
iso-2022-jp-2 csiso2022jp2
jis_c6220-1969-jp jis_c6220-1969 csiso13jisc6220jp iso-ir-13 katakana x0201-7
jis_c6220-1969-ro iso646-jp csiso14jisc6220ro iso-ir-14 jp
pt iso646-pt csiso16portuguese iso-ir-16
greek7-old csiso18greek7old iso-ir-18
latin-greek csiso19latingreek iso-ir-19
nf_z_62-010_(1973) iso646-fr1 csiso25french iso-ir-25
latin-greek-1 csiso27latingreek1 iso-ir-27
iso_5427 csiso5427cyrillic iso-ir-37
jis_c6226-1978 csiso42jisc62261978 iso-ir-42
bs_viewdata csiso47bsviewdata iso-ir-47
inis csiso49inis iso-ir-49
inis-8 csiso50inis8 iso-ir-50
inis-cyrillic csiso51iniscyrillic iso-ir-51
iso_5427:1981 iso5427cyrillic1981 csiso54271981 iso-ir-54
iso_5428:1980 csiso5428greek iso-ir-55
gb_1988-80 iso646-cn cn csiso57gb1988 iso-ir-57
gb_2312-80 chinese csiso58gb231280 iso-ir-58
ns_4551-2 iso646-no2 csiso61norwegian2 iso-ir-61 no2
videotex-suppl csiso70videotexsupp1 iso-ir-70
pt2 iso646-pt2 csiso84portuguese2 iso-ir-84
es2 iso646-es2 csiso85spanish2 iso-ir-85
msz_7795.3 iso646-hu csiso86hungarian hu iso-ir-86
jis_c6226-1983 jis_x0208-1983 csiso87jisx0208 iso-ir-87 x0208
greek7 csiso88greek7 iso-ir-88
asmo_449 iso_9036 arabic7 csiso89asmo449 iso-ir-89
iso-ir-90 csiso90
jis_c6229-1984-a csiso91jisc62291984a iso-ir-91 jp-ocr-a
jis_c6229-1984-b iso646-jp-ocr-b csiso92jisc62991984b iso-ir-92 jp-ocr-b
jis_c6229-1984-b-add csiso93jis62291984badd iso-ir-93 jp-ocr-b-add
jis_c6229-1984-hand csiso94jis62291984hand iso-ir-94 jp-ocr-hand
jis_c6229-1984-hand-add csiso95jis62291984handadd iso-ir-95 jp-ocr-hand-add
jis_c6229-1984-kana csiso96jisc62291984kana iso-ir-96
iso_2033-1983 csiso2033 e13b iso-ir-98
ansi_x3.110-1983 csa_t500-1983 naplps csiso99naplps iso-ir-99
t.61-7bit csiso102t617bit iso-ir-102
t.61-8bit t.61 csiso103t618bit iso-ir-103
ecma-cyrillic koi8-e csiso111ecmacyrillic iso-ir-111
csa_z243.4-1985-1 iso646-ca ca csiso121canadian1 csa7-1 csa71 iso-ir-121
csa_z243.4-1985-2 iso646-ca2 csiso122canadian2 csa7-2 csa72 iso-ir-122
csa_z243.4-1985-gr csiso123csaz24341985gr iso-ir-123
iso-8859-6-e iso_8859-6-e csiso88596e
iso-8859-6-i iso_8859-6-i csiso88596i
t.101-g2 csiso128t101g2 iso-ir-128
iso-8859-8-e iso_8859-8-e csiso88598e
iso-8859-8-i iso_8859-8-i csiso88598i
csn_369103 csiso139csn369103 iso-ir-139
jus_i.b1.002 iso646-yu csiso141jusib1002 iso-ir-141 js yu
iec_p27-1 csiso143iecp271 iso-ir-143
jus_i.b1.003-serb csiso146serbian iso-ir-146 serbian
jus_i.b1.003-mac csiso147macedonian iso-ir-147 macedonian
greek-ccitt csiso150 csiso150greekccitt iso-ir-150
nc_nc00-10:81 iso646-cu csiso151cuba cuba iso-ir-151
iso_6937-2-25 csiso6937add iso-ir-152
gost_19768-74 st_sev_358-88 csiso153gost1976874 iso-ir-153
iso_8859-supp csiso8859supp iso-ir-154 latin1-2-5
iso_10367-box csiso10367box iso-ir-155
latin-lap csiso158lap iso-ir-158 lap
jis_x0212-1990 csiso159jisx02121990 iso-ir-159 x0212
ds_2089 ds2089 iso646-dk csiso646danish dk
us-dk csusdk
dk-us csdkus
ksc5636 iso646-kr csksc5636
unicode-1-1-utf-7 csunicode11utf7
iso-2022-cn csiso2022cn
iso-2022-cn-ext csiso2022cnext
utf-8 csutf8
iso-8859-13 csiso885913
iso-8859-14 iso_8859-14 iso_8859-14:1998 csiso885914 iso-celtic iso-ir-199 l8 latin8
iso-8859-15 iso_8859-15 latin-9 csiso885915
iso-8859-16 iso_8859-16 iso_8859-16:2001 csiso885916 iso-ir-226 l10 latin10
gbk cp936 ms936 csgbk windows-936
gb18030 csgb18030
osd_ebcdic_df04_15 csosdebcdicdf0415
osd_ebcdic_df03_irv csosdebcdicdf03irv
osd_ebcdic_df04_1 csosdebcdicdf041
iso-11548-1 iso_11548-1 iso_tr_11548-1 csiso115481
kz-1048 rk1048 strk1048-2002 cskz1048
iso-10646-ucs-2 csunicode
iso-10646-ucs-4 csucs4
iso-10646-ucs-basic csunicodeascii
iso-10646-unicode-latin1 iso-10646 csunicodelatin1
iso-10646-j-1 csunicodejapanese
iso-unicode-ibm-1261 csunicodeibm1261
iso-unicode-ibm-1268 csunicodeibm1268
iso-unicode-ibm-1276 csunicodeibm1276
iso-unicode-ibm-1264 csunicodeibm1264
iso-unicode-ibm-1265 csunicodeibm1265
unicode-1-1 csunicode11
scsu csscsu
utf-7 csutf7
utf-16be csutf16be
utf-16le csutf16le
utf-16 csutf16
cesu-8 cscesu-8 cscesu8
utf-32 csutf32
utf-32be csutf32be
utf-32le csutf32le
bocu-1 csbocu-1 csbocu1
utf-7-imap csutf7imap
iso-8859-1-windows-3.0-latin-1 cswindows30latin1
iso-8859-1-windows-3.1-latin-1 cswindows31latin1
iso-8859-2-windows-latin-2 cswindows31latin2
iso-8859-9-windows-latin-5 cswindows31latin5
hp-roman8 cshproman8 r8 roman8
adobe-standard-encoding csadobestandardencoding
ventura-us csventuraus
ventura-international csventurainternational
dec-mcs csdecmcs dec
ibm850 850 cp850 cspc850multilingual
ibm852 852 cp852 cspcp852
ibm437 437 cp437 cspc8codepage437
pc8-danish-norwegian cspc8danishnorwegian
ibm862 862 cp862 cspc862latinhebrew
pc8-turkish cspc8turkish
ibm-symbols csibmsymbols
ibm-thai csibmthai
hp-legal cshplegal
hp-pi-font cshppifont
hp-math8 cshpmath8
adobe-symbol-encoding cshppsmath
hp-desktop cshpdesktop
ventura-math csventuramath
microsoft-publishing csmicrosoftpublishing
windows-31j cswindows31j
gb2312 csgb2312
big5 csbig5
macintosh csmacintosh mac
ibm037 cp037 csibm037 ebcdic-cp-ca ebcdic-cp-nl ebcdic-cp-us ebcdic-cp-wt
ibm038 ebcdic-int cp038 csibm038
ibm273 cp273 csibm273
ibm274 cp274 ebcdic-be csibm274
ibm275 ebcdic-br cp275 csibm275
ibm277 ebcdic-cp-dk ebcdic-cp-no csibm277
ibm278 cp278 csibm278 ebcdic-cp-fi ebcdic-cp-se
ibm280 cp280 csibm280 ebcdic-cp-it
ibm281 ebcdic-jp-e cp281 csibm281
ibm284 cp284 csibm284 ebcdic-cp-es
ibm285 cp285 csibm285 ebcdic-cp-gb
ibm290 ebcdic-jp-kana cp290 csibm290
ibm297 cp297 csibm297 ebcdic-cp-fr
ibm420 cp420 csibm420 ebcdic-cp-ar1
ibm423 cp423 csibm423 ebcdic-cp-gr
ibm424 cp424 csibm424 ebcdic-cp-he
ibm500 cp500 csibm500 ebcdic-cp-be ebcdic-cp-ch
ibm851 851 cp851 csibm851
ibm855 855 cp855 csibm855
ibm857 857 cp857 csibm857
ibm860 860 cp860 csibm860
ibm861 861 cp-is cp861 csibm861
ibm863 863 cp863 csibm863
ibm864 cp864 csibm864
ibm865 865 cp865 csibm865
ibm868 cp868 cp-ar csibm868
ibm869 869 cp-gr cp869 csibm869
ibm870 cp870 csibm870 ebcdic-cp-roece ebcdic-cp-yu
ibm871 cp871 csibm871 ebcdic-cp-is
ibm880 ebcdic-cyrillic cp880 csibm880
ibm891 cp891 csibm891
ibm903 cp903 csibm903
ibm904 904 cp904 csibbm904
ibm905 cp905 csibm905 ebcdic-cp-tr
ibm918 cp918 csibm918 ebcdic-cp-ar2
ibm1026 cp1026 csibm1026
ebcdic-at-de csibmebcdicatde
ebcdic-at-de-a csebcdicatdea
ebcdic-ca-fr csebcdiccafr
ebcdic-dk-no csebcdicdkno
ebcdic-dk-no-a csebcdicdknoa
ebcdic-fi-se csebcdicfise
ebcdic-fi-se-a csebcdicfisea
ebcdic-fr csebcdicfr
ebcdic-it csebcdicit
ebcdic-pt csebcdicpt
ebcdic-es csebcdices
ebcdic-es-a csebcdicesa
ebcdic-es-s csebcdicess
ebcdic-uk csebcdicuk
ebcdic-us csebcdicus
unknown-8bit csunknown8bit
mnemonic csmnemonic
mnem csmnem
viscii csviscii
viqr csviqr
koi8-r cskoi8r
hz-gb-2312
ibm866 866 cp866 csibm866
ibm775 cp775 cspc775baltic
koi8-u cskoi8u
ibm00858 ccsid00858 cp00858 pc-multilingual-850+euro csibm00858
ibm00924 ccsid00924 cp00924 csibm00924 ebcdic-latin9--euro
ibm01140 ccsid01140 cp01140 csibm01140 ebcdic-us-37+euro
ibm01141 ccsid01141 cp01141 csibm01141 ebcdic-de-273+euro
ibm01142 ccsid01142 cp01142 csibm01142 ebcdic-dk-277+euro ebcdic-no-277+euro
ibm01143 ccsid01143 cp01143 csibm01143 ebcdic-fi-278+euro ebcdic-se-278+euro
ibm01144 ccsid01144 cp01144 csibm01144 ebcdic-it-280+euro
ibm01145 ccsid01145 cp01145 csibm01145 ebcdic-es-284+euro
ibm01146 ccsid01146 cp01146 csibm01146 ebcdic-gb-285+euro
ibm01147 ccsid01147 cp01147 csibm01147 ebcdic-fr-297+euro
ibm01148 ccsid01148 cp01148 csibm01148 ebcdic-international-500+euro
ibm01149 ccsid01149 cp01149 csibm01149 ebcdic-is-871+euro
big5-hkscs csbig5hkscs
ibm1047 ibm-1047 csibm1047
ptcp154 cp154 cyrillic-asian pt154 csptcp154
amiga-1251 ami-1251 ami1251 amiga1251 csamiga1251
koi7-switched cskoi7switched
brf csbrf
tscii cstscii
cp51932 cscp51932
windows-874 cswindows874
windows-1250 cswindows1250
windows-1251 cswindows1251
windows-1252 cswindows1252
windows-1253 cswindows1253
windows-1254 cswindows1254
windows-1255 cswindows1255
windows-1256 cswindows1256
windows-1257 cswindows1257
windows-1258 cswindows1258
tis-620 iso-8859-11 cstis620
cp50220 cscp50220
`;

/** Every registered name and alias, lower-cased. */
const NAMES: ReadonlySet<string> = new Set(REGISTRY.split(/\s+/).filter((n) => n !== ""));

/**
 * True when `charset` (lower-cased) is a name or alias in the IANA registry, or a private `x-`
 * name (RFC 2045 §5.1's x-token, which RFC 2046 §4.1.2 allows by agreement).
 */
export function isRegisteredCharset(charset: string): boolean {
  return NAMES.has(charset) || charset.startsWith("x-");
}
