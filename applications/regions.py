"""Where a 统一社会信用代码 was issued: characters 3–8 are the registration authority's administrative
division code (GB 32100-2015 §4.3, codes of GB/T 2260). Bottom layer: imports nothing of ours.

Only what the portal needs to name a region: 镇江's districts, Jiangsu's prefectures, the provinces.
"""

ZHENJIANG_PREFIX = "3211"

ZHENJIANG = {
    "321100": "镇江市",
    "321101": "镇江市市辖区",
    "321102": "镇江市京口区",
    "321111": "镇江市润州区",
    "321112": "镇江市丹徒区",
    "321181": "镇江市丹阳市",
    "321182": "镇江市扬中市",
    "321183": "镇江市句容市",
}

JIANGSU_PREFECTURES = {
    "3201": "南京市", "3202": "无锡市", "3203": "徐州市", "3204": "常州市", "3205": "苏州市", "3206": "南通市",
    "3207": "连云港市", "3208": "淮安市", "3209": "盐城市", "3210": "扬州市", "3211": "镇江市", "3212": "泰州市",
    "3213": "宿迁市",
}

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省",
    "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省",
    "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}


def region_code(credit_code):
    """Characters 3–8 of a credit code ("" when the code is too short to have them)."""
    code = (credit_code or "").strip().upper()
    return code[2:8] if len(code) >= 8 else ""


def in_zhenjiang(credit_code):
    return region_code(credit_code).startswith(ZHENJIANG_PREFIX)


def region_name(credit_code):
    """The region a code was issued in, as precisely as the tables know it: 镇江市京口区, 江苏省南京市,
    浙江省（江苏省外）, 国家级登记管理机关; "江苏省外" when even the province is unknown."""
    region = region_code(credit_code)
    if region.startswith(ZHENJIANG_PREFIX):
        return ZHENJIANG.get(region, "镇江市")
    if region[:4] in JIANGSU_PREFECTURES:
        return f"江苏省{JIANGSU_PREFECTURES[region[:4]]}"
    if region[:2] == "32":
        return "江苏省"
    if region[:2] == "10":
        return "国家级登记管理机关"
    if region[:2] in PROVINCES:
        return f"{PROVINCES[region[:2]]}（江苏省外）"
    return "江苏省外"
