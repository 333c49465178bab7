"""Listings in other languages than Chinese (issue 14): the language, and goods classes from English and Spanish.

Pure: text in, values out. The Nice headings in English (regional/data/nice_classes.tsv, from the
office's shared reference data) give one keyword set; the words shoppers and sellers actually
use on cross-border platforms (sneakers, earbuds, zapatillas, auriculares, …) give the rest.
Latin keywords match whole words (a simple plural `s`/`es` stripped), so `tea` is not found
in `steam` and `pan` not in `panda`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from regional.nice import nice_classes

# Words that name goods, in English and Spanish, -> Nice class. Multi-word entries match as phrases.
LATIN_KEYWORDS: dict[str, int] = {
    # 3 cosmetics, toiletries, cleaning
    "cosmetics": 3, "cosmetic": 3, "cream": 3, "moisturiser": 3, "moisturizer": 3, "lotion": 3, "shampoo": 3,
    "perfume": 3, "lipstick": 3, "skincare": 3, "skin care": 3, "face mask": 3, "toothpaste": 3, "detergent": 3,
    "soap": 3, "serum": 3, "toilet water": 3, "floral water": 3, "makeup": 3,
    "crema": 3, "cosméticos": 3, "cosmético": 3, "champú": 3, "perfume de": 3, "jabón": 3, "detergente": 3,
    "cuidado de la piel": 3, "maquillaje": 3, "pasta de dientes": 3,
    # 5 pharmaceuticals
    "medicine": 5, "medical preparation": 5, "pills": 5, "tablets": 5, "capsules": 5, "supplement": 5,
    "ointment": 5, "plaster": 5, "pain relief": 5, "vitamins": 5,
    "medicina": 5, "medicinal": 5, "pastillas": 5, "cápsulas": 5, "suplemento": 5, "analgésico": 5,
    # 6 metal goods
    "padlock": 6, "lock": 6, "hinge": 6, "candado": 6,
    # 9 electronics
    "phone": 9, "smartphone": 9, "mobile phone": 9, "phone case": 9, "earphones": 9, "earphone": 9,
    "earbuds": 9, "headphones": 9, "headset": 9, "charger": 9, "power bank": 9, "power adapter": 9,
    "usb": 9, "cable": 9, "laptop": 9, "notebook computer": 9, "computer": 9, "tablet": 9, "smartwatch": 9,
    "smart watch": 9, "fitness tracker": 9, "smart band": 9, "camera": 9, "drone": 9, "speaker": 9,
    "keyboard": 9, "mouse": 9, "router": 9, "battery": 9, "controller": 9, "electronics": 9, "software": 9,
    "media player": 9, "streaming box": 9,
    "auriculares": 9, "móvil": 9, "teléfono": 9, "cargador": 9, "batería": 9, "portátil": 9,
    "ordenador": 9, "cámara": 9, "altavoz": 9, "teclado": 9, "ratón": 9, "reloj inteligente": 9,
    "funda": 9,
    # 11 appliances, lighting, cooling, cooking
    "air conditioner": 11, "air conditioning": 11, "refrigerator": 11, "fridge": 11, "microwave": 11,
    "oven": 11, "rice cooker": 11, "kettle": 11, "heater": 11, "air cooler": 11, "fan heater": 11,
    "lamp": 11, "light bulb": 11, "soy milk maker": 11, "soymilk": 11, "water purifier": 11,
    "aire acondicionado": 11, "climatizador": 11, "frigorífico": 11, "nevera": 11, "microondas": 11,
    "horno": 11, "hervidor": 11, "lámpara": 11, "electrodoméstico": 11,
    # 12 vehicles
    "bicycle": 12, "car": 12, "scooter": 12, "bicicleta": 12, "coche": 12,
    # 14 jewellery, watches
    "jewellery": 14, "jewelry": 14, "necklace": 14, "pendant": 14, "bracelet": 14, "ring": 14,
    "earrings": 14, "watch": 14, "wristwatch": 14, "gold": 14,
    "joyería": 14, "collar": 14, "colgante": 14, "pulsera": 14, "anillo": 14, "pendientes": 14, "reloj": 14,
    # 16 paper, stationery
    "notebook": 16, "pen": 16, "pencil": 16, "stationery": 16, "poster": 16, "cuaderno": 16, "bolígrafo": 16,
    # 18 leather, bags, luggage
    "bag": 18, "handbag": 18, "backpack": 18, "wallet": 18, "luggage": 18, "suitcase": 18, "tote bag": 18,
    "umbrella": 18, "bolso": 18, "mochila": 18, "cartera": 18, "maleta": 18, "paraguas": 18,
    # 20 furniture
    "furniture": 20, "chair": 20, "mirror": 20, "mueble": 20, "silla": 20,
    # 21 household, kitchen utensils
    "frying pan": 21, "pan": 21, "pot": 21, "cookware": 21, "cup": 21, "mug": 21, "bottle": 21,
    "thermos": 21, "tumbler": 21, "kitchen utensils": 21, "glassware": 21, "bowl": 21,
    "sartén": 21, "olla": 21, "taza": 21, "utensilios de cocina": 21, "botella": 21,
    # 24 textiles
    "bed sheet": 24, "bedding": 24, "towel": 24, "curtain": 24, "sábana": 24, "toalla": 24, "cortina": 24,
    # 25 clothing, footwear, headwear
    "clothing": 25, "footwear": 25, "headwear": 25, "shoes": 25, "shoe": 25, "sneakers": 25, "trainers": 25,
    "boots": 25, "sandals": 25, "t-shirt": 25, "shirt": 25, "dress": 25, "jacket": 25, "coat": 25,
    "down jacket": 25, "parka": 25, "puffer": 25, "hoodie": 25, "sweater": 25, "jeans": 25, "trousers": 25,
    "pants": 25, "socks": 25, "cap": 25, "hat": 25,
    "ropa": 25, "calzado": 25, "zapatillas": 25, "zapatos": 25, "botas": 25, "camiseta": 25, "camisa": 25,
    "vestido": 25, "chaqueta": 25, "abrigo": 25, "sudadera": 25, "pantalones": 25, "calcetines": 25,
    "gorra": 25, "sombrero": 25,
    # 28 games, toys, sporting goods
    "toy": 28, "toys": 28, "plush": 28, "doll": 28, "game": 28, "racket": 28, "racquet": 28, "ball": 28,
    "sporting goods": 28, "fitness": 28, "juguete": 28, "peluche": 28, "muñeca": 28, "raqueta": 28, "pelota": 28,
    # 29 dairy, meat, oils, snacks
    "milk": 29, "dairy": 29, "yogurt": 29, "cheese": 29, "edible oil": 29, "nuts": 29, "jerky": 29,
    "leche": 29, "yogur": 29, "queso": 29, "aceite de oliva": 29, "frutos secos": 29,
    # 30 tea, coffee, confectionery, noodles, condiments
    "tea": 30, "green tea": 30, "coffee": 30, "candy": 30, "sweets": 30, "confectionery": 30,
    "chocolate": 30, "noodles": 30, "instant noodles": 30, "sauce": 30, "hot sauce": 30, "chili sauce": 30,
    "chili oil": 30, "chili crisp": 30, "condiment": 30, "biscuits": 30, "cookies": 30, "bread": 30,
    "té": 30, "café": 30, "caramelos": 30, "dulces": 30, "golosinas": 30, "fideos": 30, "salsa": 30,
    "condimento": 30, "galletas": 30, "pan de": 30,
    # 32 beer, soft drinks, water, juices
    "beer": 32, "lager": 32, "soft drink": 32, "soda": 32, "juice": 32, "mineral water": 32,
    "drinking water": 32, "bottled water": 32, "herbal tea drink": 32, "milk drink": 32, "beverage": 32,
    "cerveza": 32, "refresco": 32, "zumo": 32, "jugo": 32, "agua mineral": 32, "bebida": 32,
    # 33 alcoholic beverages
    "wine": 33, "liquor": 33, "baijiu": 33, "whisky": 33, "vodka": 33, "vino": 33, "licor": 33,
    # 34 tobacco
    "cigarettes": 34, "e-cigarette": 34, "vape": 34, "tabaco": 34,
}
# Heading words that name no goods on their own
_STOP = {"and", "of", "for", "the", "their", "in", "or", "except", "other", "common", "goods", "apparatus",
         "parts", "articles", "services", "preparations", "products", "form", "use", "non", "fresh",
         "temporary", "personal"}
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
ES_HINTS = {"de", "la", "el", "para", "con", "y", "los", "las", "del", "sin", "talla", "hombre", "mujer", "niños",
            "envío", "gratis", "original", "nuevo", "nueva", "paquete", "pack",
            # words of cross-border titles that are Spanish and not English (goods, colours, shop words)
            "zapatillas", "zapatos", "auriculares", "cargador", "funda", "bolso", "mochila", "reloj", "camiseta",
            "chaqueta", "sudadera", "pantalones", "calzado", "ropa", "cerveza", "leche", "juguete", "peluche",
            "vestido", "gorra", "deportivas", "deportivo", "deportiva", "deportivos", "originales", "lata", "tienda",
            "oficial", "hombres", "mujeres", "calidad", "juego", "negro", "negra", "blanco", "blanca", "rojo", "azul",
            "nuevos", "nuevas", "piezas", "litros", "unidades"}
EN_HINTS = {"the", "for", "with", "and", "of", "men's", "women's", "new", "free", "shipping", "size", "pack",
            "set", "kids", "original"}
ES_CHARS = set("ñáéíóúü¿¡")


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] in "sxz":
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.cache
def _keywords() -> dict[tuple[str, ...], int]:
    """Keyword phrases (as word tuples, singular) -> class: the curated words, then the English headings."""
    table: dict[tuple[str, ...], int] = {}
    for phrase, number in LATIN_KEYWORDS.items():
        table.setdefault(tuple(_singular(w) for w in _WORD.findall(_fold(phrase))), number)
    for cls in nice_classes().values():
        for part in re.split(r"[,;]", cls.en_short):
            words = [_singular(w) for w in _WORD.findall(_fold(part)) if w not in _STOP]
            if len(words) == 1 and len(words[0]) > 3:
                table.setdefault((words[0],), cls.number)
            elif len(words) > 1:
                table.setdefault(tuple(words), cls.number)
    return table


@functools.cache
def _longest() -> int:
    """Words in the longest keyword phrase (was recomputed over the whole table at every call: 2 % of screening)."""
    return max(len(k) for k in _keywords())


def words(text: str | None) -> list[str]:
    """The Latin (and other alphabetic) words of `text`, folded, singular."""
    return [_singular(w) for w in _WORD.findall(_fold(text or "")) if not _CJK.search(w)]


def latin_classes(text: str | None) -> tuple[int, ...]:
    """Nice classes named by English or Spanish words in `text`, longest phrase first, without repeats."""
    tokens = words(text)
    if not tokens:
        return ()
    table = _keywords()
    longest = min(_longest(), len(tokens))  # no phrase is longer than the text
    found: list[int] = []
    used = [False] * len(tokens)
    for size in range(longest, 0, -1):
        for i in range(len(tokens) - size + 1):
            if any(used[i:i + size]):
                continue
            number = table.get(tuple(tokens[i:i + size]))
            if number is not None:
                used[i:i + size] = [True] * size
                if number not in found:
                    found.append(number)
    return tuple(found)


def language(text: str | None) -> str:
    """The listing's language as a code: zh, en, es, ru, ja, ko, or other ('' for no text)."""
    text = text or ""
    if not text.strip():
        return ""
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if _CJK.match(c))
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if cjk and cjk * 3 >= len(letters):
        return "zh"
    if sum(1 for c in letters if _CYRILLIC.match(c)) * 2 >= max(1, len(letters) - cjk):
        return "ru"
    tokens = set(_WORD.findall(_fold(text)))
    es = len(tokens & ES_HINTS) + 2 * sum(1 for c in text.casefold() if c in ES_CHARS)
    en = len(tokens & EN_HINTS)
    if not tokens:
        return "zh" if cjk else "other"
    if es > en:
        return "es"
    return "en"
