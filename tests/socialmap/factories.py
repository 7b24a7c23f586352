import factory

from socialmap.models import BoardTemplate, Category, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    school = None
    name = factory.Sequence(lambda n: f"Testorganisatie {n}")
    category = Category.OTHER
    phone = "0118-677600"
    email = factory.Sequence(lambda n: f"info{n}@example.invalid")
    address = "Teststraat 1, 1234 AB Testdorp"


class BoardTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardTemplate

    board = None
    name = factory.Sequence(lambda n: f"Bestuurssjabloon {n}")
    category = Category.CARE_TEAM
    phone = "0113-249400"
