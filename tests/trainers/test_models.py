"""Trainer library models: encrypted phones."""

from tests.trainers.factories import ExpertFactory, TrainerFactory


def test_trainer_phone_is_stored_encrypted_with_a_masked_copy(tree):
    trainer = TrainerFactory(org=tree["district1"], phone="13812345678")
    trainer.refresh_from_db()
    assert trainer.phone == "13812345678"
    assert trainer.phone_masked == "138****5678"
    assert "13812345678" not in trainer.phone_encrypted


def test_expert_str_names_the_affiliation(tree):
    expert = ExpertFactory(org=tree["city"], name="张教授", affiliation="四川大学")
    assert str(expert) == "张教授（四川大学）"


def test_speciality_list_splits_the_text(tree):
    trainer = TrainerFactory(
        org=tree["city"], specialities="小区治理，社区营造、社工站"
    )
    assert trainer.speciality_list() == ["小区治理", "社区营造", "社工站"]
