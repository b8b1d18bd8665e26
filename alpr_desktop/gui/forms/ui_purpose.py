# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'purpose.ui'
##
## Created by: Qt User Interface Compiler version 6.12.0
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QCheckBox,
    QComboBox, QDialog, QDialogButtonBox, QFormLayout,
    QFrame, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_PurposeDialog(object):
    def setupUi(self, PurposeDialog):
        if not PurposeDialog.objectName():
            PurposeDialog.setObjectName(u"PurposeDialog")
        PurposeDialog.resize(640, 640)
        PurposeDialog.setModal(True)
        self.mainLayout = QVBoxLayout(PurposeDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.introLabel = QLabel(PurposeDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.mainLayout.addWidget(self.introLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.categoryLabel = QLabel(PurposeDialog)
        self.categoryLabel.setObjectName(u"categoryLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.categoryLabel)

        self.categoryCombo = QComboBox(PurposeDialog)
        self.categoryCombo.setObjectName(u"categoryCombo")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.categoryCombo)

        self.offenseLabel = QLabel(PurposeDialog)
        self.offenseLabel.setObjectName(u"offenseLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.offenseLabel)

        self.offenseCombo = QComboBox(PurposeDialog)
        self.offenseCombo.setObjectName(u"offenseCombo")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.offenseCombo)

        self.caseLabel = QLabel(PurposeDialog)
        self.caseLabel.setObjectName(u"caseLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.caseLabel)

        self.caseEdit = QLineEdit(PurposeDialog)
        self.caseEdit.setObjectName(u"caseEdit")
        self.caseEdit.setMaxLength(40)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.caseEdit)

        self.caseHint = QLabel(PurposeDialog)
        self.caseHint.setObjectName(u"caseHint")
        self.caseHint.setWordWrap(True)
        self.caseHint.setTextFormat(Qt.TextFormat.PlainText)

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.caseHint)

        self.agencyLabel = QLabel(PurposeDialog)
        self.agencyLabel.setObjectName(u"agencyLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.agencyLabel)

        self.agencyEdit = QLineEdit(PurposeDialog)
        self.agencyEdit.setObjectName(u"agencyEdit")
        self.agencyEdit.setMaxLength(200)

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.agencyEdit)

        self.requesterLabel = QLabel(PurposeDialog)
        self.requesterLabel.setObjectName(u"requesterLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.requesterLabel)

        self.requesterEdit = QLineEdit(PurposeDialog)
        self.requesterEdit.setObjectName(u"requesterEdit")
        self.requesterEdit.setMaxLength(200)

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.requesterEdit)

        self.narrativeLabel = QLabel(PurposeDialog)
        self.narrativeLabel.setObjectName(u"narrativeLabel")

        self.formLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.narrativeLabel)

        self.narrativeEdit = QPlainTextEdit(PurposeDialog)
        self.narrativeEdit.setObjectName(u"narrativeEdit")
        self.narrativeEdit.setTabChangesFocus(True)

        self.formLayout.setWidget(6, QFormLayout.ItemRole.FieldRole, self.narrativeEdit)

        self.permissionLabel = QLabel(PurposeDialog)
        self.permissionLabel.setObjectName(u"permissionLabel")

        self.formLayout.setWidget(7, QFormLayout.ItemRole.LabelRole, self.permissionLabel)

        self.permissionCombo = QComboBox(PurposeDialog)
        self.permissionCombo.setObjectName(u"permissionCombo")

        self.formLayout.setWidget(7, QFormLayout.ItemRole.FieldRole, self.permissionCombo)


        self.mainLayout.addLayout(self.formLayout)

        self.policyLabel = QLabel(PurposeDialog)
        self.policyLabel.setObjectName(u"policyLabel")
        self.policyLabel.setText(u"Policy")
        self.policyLabel.setWordWrap(True)
        self.policyLabel.setFrameShape(QFrame.Shape.StyledPanel)
        self.policyLabel.setMargin(6)

        self.mainLayout.addWidget(self.policyLabel)

        self.ackCheck = QCheckBox(PurposeDialog)
        self.ackCheck.setObjectName(u"ackCheck")

        self.mainLayout.addWidget(self.ackCheck)

        self.problemsTitle = QLabel(PurposeDialog)
        self.problemsTitle.setObjectName(u"problemsTitle")

        self.mainLayout.addWidget(self.problemsTitle)

        self.problemsList = QListWidget(PurposeDialog)
        self.problemsList.setObjectName(u"problemsList")
        self.problemsList.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.problemsList.setWordWrap(True)
        self.problemsList.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.problemsList.setMaximumSize(QSize(16777215, 120))

        self.mainLayout.addWidget(self.problemsList)

        self.errorLabel = QLabel(PurposeDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setStyleSheet(u"color: #b00020; font-weight: bold;")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextFormat(Qt.TextFormat.PlainText)

        self.mainLayout.addWidget(self.errorLabel)

        self.buttonBox = QDialogButtonBox(PurposeDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.categoryLabel.setBuddy(self.categoryCombo)
        self.offenseLabel.setBuddy(self.offenseCombo)
        self.caseLabel.setBuddy(self.caseEdit)
        self.agencyLabel.setBuddy(self.agencyEdit)
        self.requesterLabel.setBuddy(self.requesterEdit)
        self.narrativeLabel.setBuddy(self.narrativeEdit)
        self.permissionLabel.setBuddy(self.permissionCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.categoryCombo, self.offenseCombo)
        QWidget.setTabOrder(self.offenseCombo, self.caseEdit)
        QWidget.setTabOrder(self.caseEdit, self.agencyEdit)
        QWidget.setTabOrder(self.agencyEdit, self.requesterEdit)
        QWidget.setTabOrder(self.requesterEdit, self.narrativeEdit)
        QWidget.setTabOrder(self.narrativeEdit, self.permissionCombo)
        QWidget.setTabOrder(self.permissionCombo, self.ackCheck)

        self.retranslateUi(PurposeDialog)

        QMetaObject.connectSlotsByName(PurposeDialog)
    # setupUi

    def retranslateUi(self, PurposeDialog):
        PurposeDialog.setWindowTitle(QCoreApplication.translate("PurposeDialog", u"Purpose of This Investigation", None))
        self.introLabel.setText(QCoreApplication.translate("PurposeDialog", u"Before any search, state why. The purpose is written to the access log with every search and stays active until you end or change it or sign out; a session lock keeps it.", None))
        self.categoryLabel.setText(QCoreApplication.translate("PurposeDialog", u"&Category:", None))
        self.offenseLabel.setText(QCoreApplication.translate("PurposeDialog", u"&Offense type:", None))
        self.caseLabel.setText(QCoreApplication.translate("PurposeDialog", u"Case or &incident number:", None))
        self.agencyLabel.setText(QCoreApplication.translate("PurposeDialog", u"Requesting a&gency:", None))
        self.requesterLabel.setText(QCoreApplication.translate("PurposeDialog", u"&Requester's name:", None))
        self.narrativeLabel.setText(QCoreApplication.translate("PurposeDialog", u"&Narrative:", None))
        self.narrativeEdit.setPlaceholderText(QCoreApplication.translate("PurposeDialog", u"What happened, where or when, and what this search should find \u2014 in your own words.", None))
        self.permissionLabel.setText(QCoreApplication.translate("PurposeDialog", u"Written &permission:", None))
        self.ackCheck.setText(QCoreApplication.translate("PurposeDialog", u"I &acknowledge that this search is for an authorized use only", None))
        self.problemsTitle.setText(QCoreApplication.translate("PurposeDialog", u"Still needed before the search can start:", None))
    # retranslateUi

