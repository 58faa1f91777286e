"""Pure rules: speciality and topic lists."""

from lms.terms import split_terms


def test_split_terms_accepts_chinese_and_latin_separators():
    """、，,；; / and new lines all separate terms; blanks are dropped."""
    text = (
        "社区营造、社会组织，小区治理, 网格化;楼栋红管家；空间美学/社工站\n议事协商、 "
    )
    assert split_terms(text) == [
        "社区营造",
        "社会组织",
        "小区治理",
        "网格化",
        "楼栋红管家",
        "空间美学",
        "社工站",
        "议事协商",
    ]


def test_split_terms_removes_duplicates_keeping_the_first_order():
    assert split_terms("小区治理、社区营造、小区治理") == ["小区治理", "社区营造"]


def test_split_terms_of_empty_text_is_empty():
    assert split_terms("") == []
    assert split_terms(" 、 ,") == []
